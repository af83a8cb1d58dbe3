package dev.capws.websocket.internal.codec;

import java.util.Arrays;

/**
 * Reads the frames a client sends (RFC 6455, section 5) from bytes as they arrive, in pieces of any size, and reports
 * whole messages and control frames. Every violation ends reading with the close code the RFC asks for: 1002 for a
 * broken frame, 1007 for text that is not UTF-8, 1009 for a message over the limit (checked on the frame header,
 * before any payload is buffered). An idle connection holds no buffer.
 */
public final class FrameReader {

  /** What the frames say. Called on the reading thread, in order. */
  public interface Listener {
    void text(String message);

    void binary(byte[] message);

    void ping(byte[] payload);

    void pong();

    /** The client's close frame; {@code code} is 1005 when it carried none. */
    void close(int code, String reason);

    /** The client broke the protocol: the connection must close with this code. */
    void fail(int code, String reason);
  }

  private final long maxMessageSize;
  private final Listener listener;

  private final byte[] header = new byte[14];
  private int headerRead;
  private int headerLength;

  private boolean inPayload;
  private boolean fin;
  private int opcode;
  private long remaining;
  private int maskIndex;
  /** Where the current frame's payload goes: the control payload, or the message being assembled. */
  private byte[] target;
  private int targetLength;

  /** Opcode of a message whose frames are still arriving (TEXT or BINARY), or 0 between messages. */
  private int messageOpcode;
  private byte[] message;
  private int messageLength;

  private boolean stopped;

  public FrameReader(long maxMessageSize, Listener listener) {
    this.maxMessageSize = maxMessageSize;
    this.listener = listener;
  }

  /** True after a close frame or a violation: later bytes mean nothing. */
  public boolean stopped() {
    return stopped;
  }

  public void feed(byte[] bytes, int offset, int length) {
    int position = offset;
    int end = offset + length;
    while (position < end && !stopped) {
      if (!inPayload) {
        header[headerRead++] = bytes[position++];
        if (headerRead == 2 && !checkStart()) {
          return;
        }
        if (headerRead >= 2 && headerRead == headerLength) {
          startPayload();
        }
        continue;
      }
      int n = (int) Math.min(remaining, end - position);
      int mask = headerLength - 4;
      for (int i = 0; i < n; i++) {
        target[targetLength + i] = (byte) (bytes[position + i] ^ header[mask + ((maskIndex + i) & 3)]);
      }
      maskIndex += n;
      targetLength += n;
      position += n;
      remaining -= n;
      if (remaining == 0) {
        endFrame();
      }
    }
  }

  /** Checks the first two header bytes, and learns how long the header is. */
  private boolean checkStart() {
    fin = (header[0] & 0x80) != 0;
    opcode = header[0] & 0x0F;
    int length7 = header[1] & 0x7F;
    if ((header[0] & 0x70) != 0) {
      return fail(CloseCodes.PROTOCOL_ERROR, "Reserved bits are set but no extension was agreed");
    }
    if ((header[1] & 0x80) == 0) {
      return fail(CloseCodes.PROTOCOL_ERROR, "Client frames must be masked");
    }
    if (!OpCode.isKnown(opcode)) {
      return fail(CloseCodes.PROTOCOL_ERROR, "Unknown opcode " + opcode);
    }
    if (OpCode.isControl(opcode)) {
      if (!fin || length7 > 125) {
        return fail(CloseCodes.PROTOCOL_ERROR, "Control frames must be whole and at most 125 bytes");
      }
    } else if (opcode == OpCode.CONTINUATION) {
      if (messageOpcode == 0) {
        return fail(CloseCodes.PROTOCOL_ERROR, "Continuation frame without a message");
      }
    } else if (messageOpcode != 0) {
      return fail(CloseCodes.PROTOCOL_ERROR, "New message before the previous one ended");
    }
    headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
    return true;
  }

  private void startPayload() {
    int length7 = header[1] & 0x7F;
    long length = length7;
    if (length7 == 126) {
      length = (header[2] & 0xFFL) << 8 | header[3] & 0xFFL;
    } else if (length7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = length << 8 | header[i] & 0xFFL;
      }
      if (length < 0) {
        fail(CloseCodes.PROTOCOL_ERROR, "Frame length out of range");
        return;
      }
    }
    if (OpCode.isControl(opcode)) {
      target = new byte[(int) length];
      targetLength = 0;
    } else {
      if (length > maxMessageSize - messageLength) {
        fail(CloseCodes.TOO_BIG, "Message larger than " + maxMessageSize + " bytes");
        return;
      }
      if (opcode != OpCode.CONTINUATION) {
        messageOpcode = opcode;
      }
      int needed = messageLength + (int) length;
      if (message == null || message.length < needed) {
        // a lone final frame gets exactly its size; a fragmented message grows geometrically, within the limit
        int size = fin && message == null ? needed : (int) Math.min(maxMessageSize, Math.max(needed, 2L * needed));
        byte[] grown = new byte[size];
        if (message != null) {
          System.arraycopy(message, 0, grown, 0, messageLength);
        }
        message = grown;
      }
      target = message;
      targetLength = messageLength;
    }
    remaining = length;
    maskIndex = 0;
    inPayload = true;
    if (length == 0) {
      endFrame();
    }
  }

  private void endFrame() {
    inPayload = false;
    headerRead = 0;
    headerLength = 0;
    byte[] payload = target;
    int length = targetLength;
    target = null;
    switch (opcode) {
      case OpCode.CLOSE -> endClose(payload);
      case OpCode.PING -> listener.ping(payload);
      case OpCode.PONG -> listener.pong();
      default -> {
        messageLength = length;
        if (fin) {
          endMessage();
        }
      }
    }
  }

  private void endMessage() {
    byte[] bytes = message;
    int length = messageLength;
    int kind = messageOpcode;
    message = null;
    messageLength = 0;
    messageOpcode = 0;
    if (kind == OpCode.BINARY) {
      listener.binary(bytes.length == length ? bytes : Arrays.copyOf(bytes, length));
      return;
    }
    String text = Utf8.decode(bytes, length);
    if (text == null) {
      fail(CloseCodes.INVALID_PAYLOAD, "Text message is not valid UTF-8");
    } else {
      listener.text(text);
    }
  }

  private void endClose(byte[] payload) {
    stopped = true;
    if (payload.length == 0) {
      listener.close(CloseCodes.NO_STATUS, "");
      return;
    }
    if (payload.length == 1) {
      fail(CloseCodes.PROTOCOL_ERROR, "Invalid close frame");
      return;
    }
    int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
    if (!CloseCodes.maySend(code)) {
      fail(CloseCodes.PROTOCOL_ERROR, "Invalid close frame");
      return;
    }
    String reason = Utf8.decode(Arrays.copyOfRange(payload, 2, payload.length), payload.length - 2);
    if (reason == null) {
      fail(CloseCodes.INVALID_PAYLOAD, "Close reason is not valid UTF-8");
      return;
    }
    listener.close(code, reason);
  }

  private boolean fail(int code, String reason) {
    stopped = true;
    listener.fail(code, reason);
    return false;
  }
}
