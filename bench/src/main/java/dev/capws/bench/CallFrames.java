package dev.capws.bench;

import java.nio.charset.StandardCharsets;

/**
 * How a {@code message} call is written and how its reply's id is read, for each kind of server: plain WebSocket with
 * the json protocol ({@code {"event":"message","data":{"text":"hi"},"id":7}}, answered with a frame that ends with
 * {@code "id":7}}) or Socket.IO ({@code 42/ws/chat,7["message",{"text":"hi"}]}, answered with the acknowledgement
 * {@code 43/ws/chat,7[...]}). A call is its prefix, the id's digits and its suffix, built in place without allocation;
 * reply ids are read with a byte scan, no JSON parsing.
 */
abstract class CallFrames {

  private final byte[] prefix;
  private final byte[] suffix;

  private CallFrames(String prefix, String suffix) {
    this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
    this.suffix = suffix.getBytes(StandardCharsets.US_ASCII);
  }

  static CallFrames of(Options options) {
    return options.socketIo ? new SocketIo(SocketIoSession.namespace(options.ws)) : new Json();
  }

  /** Writes the call with this id into frame (large enough for the prefix, 19 digits and the suffix); its length. */
  final int write(byte[] frame, long id) {
    System.arraycopy(prefix, 0, frame, 0, prefix.length);
    int n = prefix.length;
    String digits = Long.toString(id);
    for (int i = 0; i < digits.length(); i++) {
      frame[n++] = (byte) digits.charAt(i);
    }
    System.arraycopy(suffix, 0, frame, n, suffix.length);
    return n + suffix.length;
  }

  /** The longest call this writes. */
  final int maxLength() {
    return prefix.length + 19 + suffix.length;
  }

  /** The id of the call a message answers; -1 if it answers none. */
  abstract long replyId(byte[] a, int offset, int end);

  /** Our json protocol's replies end with {@code ,"id":123}} (so do bench/node's, see its srv/reply-format.js). */
  private static final class Json extends CallFrames {
    private static final byte[] ID_KEY = "\"id\":".getBytes(StandardCharsets.US_ASCII);

    Json() {
      super("{\"event\":\"message\",\"data\":{\"text\":\"hi\"},\"id\":", "}");
    }

    @Override
    long replyId(byte[] a, int offset, int end) {
      int i = end - 1;
      while (i > offset && (a[i] == '}' || a[i] == ' ')) {
        i--;
      }
      int digitsEnd = i + 1;
      while (i > offset && a[i] >= '0' && a[i] <= '9') {
        i--;
      }
      int idAt = i + 1 - ID_KEY.length;
      if (digitsEnd == i + 1 || idAt < offset) {
        return -1;
      }
      for (int j = 0; j < ID_KEY.length; j++) {
        if (a[idAt + j] != ID_KEY[j]) {
          return -1;
        }
      }
      return digits(a, i + 1, digitsEnd);
    }
  }

  /** Socket.IO: the acknowledgement's id follows its type and namespace, {@code 43/ws/chat,123[...]}. */
  private static final class SocketIo extends CallFrames {
    private final byte[] ack;

    SocketIo(String namespace) {
      super("42" + namespace + ",", "[\"message\",{\"text\":\"hi\"}]");
      this.ack = ("43" + namespace + ",").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    long replyId(byte[] a, int offset, int end) {
      if (!SocketIoSession.startsWith(a, offset, end - offset, ack)) {
        return -1;
      }
      int from = offset + ack.length;
      int i = from;
      while (i < end && a[i] >= '0' && a[i] <= '9') {
        i++;
      }
      return i == from || i - from > 18 ? -1 : digits(a, from, i);
    }
  }

  private static long digits(byte[] a, int from, int to) {
    long value = 0;
    for (int j = from; j < to; j++) {
      value = value * 10 + (a[j] - '0');
    }
    return value;
  }
}
