package dev.capws.websocket.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the frames a client sends (RFC 6455, section 5) from bytes as they arrive, in pieces of any size, and reports
 * whole messages and control frames. Every violation ends reading with the close code the RFC asks for: 1002 for a
 * broken frame, 1007 for text that is not UTF-8 (at the first invalid byte, not when the message ends), 1009 for a
 * message over the limit (checked on the frame header), 1008 for a message still unfinished after the message
 * timeout. Memory follows data, not promises: a message buffer grows as payload bytes arrive, never from what a frame
 * header announces, so a header claiming 1 MiB costs nothing until the MiB is sent. An idle connection holds no
 * buffer.
 */
public final class FrameReader {

  /** What a dropped (over the rate) message keeps, so that its refusal can still name the call. */
  public static final int DROPPED_HEAD = 1024;
  private static final byte[] EMPTY = new byte[0];
  /** First allocation of a message that arrives in pieces; it doubles from there, up to the limit. */
  private static final int MIN_BUFFER = 256;

  /** What the frames say. Called on the reading thread, in order. */
  public interface Listener {
    /**
     * A frame other than close begins (its header is read, none of its payload). False drops it before anything is
     * buffered: the message it starts or continues is skipped to its end and reported to {@link #dropped}; a ping is
     * not answered, a pong ignored.
     */
    default boolean admit(int opcode) {
      return true;
    }

    void text(String message);

    void binary(byte[] message);

    /** A message that {@link #admit} refused, ended: its first bytes (at most {@link #DROPPED_HEAD}), as sent. */
    default void dropped(byte[] head) {
    }

    void ping(byte[] payload);

    void pong();

    /** The client's close frame; {@code code} is 1005 when it carried none. */
    void close(int code, String reason);

    /** The client broke the protocol: the connection must close with this code. */
    void fail(int code, String reason);
  }

  private final long maxMessageSize;
  /** How long a message may take from its first frame header to its last byte; 0 or less: no limit. */
  private final long messageTimeoutNanos;
  private final Listener listener;

  private final byte[] header = new byte[14];
  private int headerRead;
  private int headerLength;

  private boolean inPayload;
  private boolean fin;
  private int opcode;
  private long remaining;
  private int maskIndex;
  /** The current control frame's payload (at most 125 bytes), or null for a data frame. */
  private byte[] control;
  private int controlLength;
  /** The current frame's payload is read and dropped (refused by {@link Listener#admit}). */
  private boolean skipFrame;

  /** Opcode of a message whose frames are still arriving (TEXT or BINARY), or 0 between messages. */
  private int messageOpcode;
  /** When the message began (System.nanoTime), for its timeout. */
  private long messageStart;
  /** How many messages have begun: tells one unfinished message from the next. */
  private long messageNumber;
  /** Refused by {@link Listener#admit}: its bytes are counted and checked, only its head is kept. */
  private boolean dropping;
  private byte[] message = EMPTY;
  private int messageLength;
  /** Payload bytes the message has had so far (kept or not), against the size limit. */
  private long messageSize;
  /** Where the current frame ends, in message bytes: the buffer never grows past what a final frame ends at. */
  private long frameEnd;
  private final Utf8Validator utf8 = new Utf8Validator();

  private boolean stopped;
  /**
   * After a violation that left the framing intact: the rest is read only to find the client's close frame (its
   * answer to ours), everything else is dropped unread.
   */
  private boolean draining;

  public FrameReader(long maxMessageSize, Listener listener) {
    this(maxMessageSize, 0, listener);
  }

  /** @param messageTimeoutMillis how long a message may take to arrive whole; 0: no limit */
  public FrameReader(long maxMessageSize, long messageTimeoutMillis, Listener listener) {
    this.maxMessageSize = maxMessageSize;
    this.messageTimeoutNanos = messageTimeoutMillis * 1_000_000;
    this.listener = listener;
  }

  /** True after a close frame or a violation: later bytes mean nothing. */
  public boolean stopped() {
    return stopped;
  }

  /** The number of the message whose frames are still arriving, or 0 between messages. */
  public long unfinishedMessage() {
    return messageOpcode == 0 ? 0 : messageNumber;
  }

  /** When the unfinished message began (System.nanoTime); meaningless between messages. */
  public long unfinishedSince() {
    return messageStart;
  }

  /** Bytes held for the unfinished message (its buffer's size), 0 between messages. */
  public int buffered() {
    return message.length;
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
      if (control != null) {
        unmask(bytes, position, control, controlLength, n);
        controlLength += n;
      } else if (!readData(bytes, position, n)) {
        return;
      }
      maskIndex += n;
      position += n;
      remaining -= n;
      if (remaining == 0) {
        endFrame();
      }
    }
  }

  /** Payload bytes of a data frame: kept (or, for a dropped message, only its head) and checked as they come. */
  private boolean readData(byte[] bytes, int position, int n) {
    if (draining) {
      return true;
    }
    messageSize += n;
    int keep = dropping ? (int) Math.max(0, Math.min(n, DROPPED_HEAD - messageLength)) : n;
    if (keep > 0) {
      grow(messageLength + keep);
      unmask(bytes, position, message, messageLength, keep);
    }
    if (messageOpcode == OpCode.TEXT) {
      boolean valid = utf8.accept(message, messageLength, keep);
      for (int i = keep; i < n && valid; i++) { // past a dropped message's head: checked, not kept
        valid = utf8.accept((bytes[position + i] ^ header[headerLength - 4 + ((maskIndex + i) & 3)]) & 0xFF);
      }
      if (!valid) {
        fail(CloseCodes.INVALID_PAYLOAD, "Text message is not valid UTF-8");
        draining = true; // the frame's length is known: the rest of it is skipped, then frames are read for a close
        stopped = false;
        return true;
      }
    }
    messageLength += keep;
    return true;
  }

  private void unmask(byte[] bytes, int position, byte[] into, int at, int n) {
    int mask = headerLength - 4;
    for (int i = 0; i < n; i++) {
      into[at + i] = (byte) (bytes[position + i] ^ header[mask + ((maskIndex + i) & 3)]);
    }
  }

  /**
   * Makes room for {@code needed} bytes: doubling, but never past the end of a final frame nor the size limit, so a
   * message that arrives in one read gets exactly its size and one that trickles in holds at most twice what came.
   */
  private void grow(int needed) {
    if (needed <= message.length) {
      return;
    }
    long cap = fin ? frameEnd : maxMessageSize;
    int size = (int) Math.min(cap, Math.max(needed, Math.max(MIN_BUFFER, 2L * message.length)));
    message = Arrays.copyOf(message, Math.max(size, needed));
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
    } else if (draining) {
      // what the failed message's frames were is of no interest any more: they are skipped
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
    if (draining) {
      control = opcode == OpCode.CLOSE ? new byte[(int) length] : null;
      controlLength = 0;
    } else if (messageOpcode != 0 && messageTimeoutNanos > 0
        && System.nanoTime() - messageStart > messageTimeoutNanos) {
      failDraining(CloseCodes.POLICY_VIOLATION, "Message not completed in time", length);
      return;
    } else if (OpCode.isControl(opcode)) {
      control = new byte[(int) length]; // at most 125 bytes, checked with the first two header bytes
      controlLength = 0;
      skipFrame = opcode != OpCode.CLOSE && !listener.admit(opcode);
    } else if (!startData(length)) {
      return;
    }
    remaining = length;
    maskIndex = 0;
    inPayload = true;
    if (length == 0) {
      endFrame();
    }
  }

  /** A data frame's header: checks the size limit on what it announces, but allocates nothing for it. */
  private boolean startData(long length) {
    if (length > maxMessageSize - messageSize) {
      failDraining(CloseCodes.TOO_BIG, "Message larger than " + maxMessageSize + " bytes", length);
      return false;
    }
    if (opcode != OpCode.CONTINUATION) {
      messageOpcode = opcode;
      messageStart = System.nanoTime();
      messageNumber++;
      dropping = !listener.admit(opcode);
    } else if (!dropping) {
      dropping = !listener.admit(opcode); // the rest of a message over the rate is dropped too
    } else {
      listener.admit(opcode); // a dropped message's fragments still count
    }
    control = null;
    frameEnd = messageLength + length;
    return true;
  }

  private void endFrame() {
    inPayload = false;
    headerRead = 0;
    headerLength = 0;
    if (draining) {
      if (control != null) { // only a close frame is kept while draining
        byte[] payload = control;
        control = null;
        endClose(payload);
      }
      return;
    }
    if (control != null) {
      byte[] payload = control;
      control = null;
      if (opcode == OpCode.CLOSE) {
        endClose(payload);
      } else if (!skipFrame && opcode == OpCode.PING) {
        listener.ping(payload);
      } else if (!skipFrame) {
        listener.pong();
      }
      return;
    }
    if (fin) {
      endMessage();
    }
  }

  private void endMessage() {
    byte[] bytes = message;
    int length = messageLength;
    int kind = messageOpcode;
    boolean dropped = dropping;
    boolean whole = utf8.complete();
    message = EMPTY;
    messageLength = 0;
    messageSize = 0;
    messageOpcode = 0;
    dropping = false;
    utf8.reset();
    if (kind == OpCode.TEXT && !whole) {
      fail(CloseCodes.INVALID_PAYLOAD, "Text message is not valid UTF-8");
      draining = true; // at a frame's end: what follows is read for the client's close
      stopped = false;
    } else if (dropped) {
      listener.dropped(bytes.length == length ? bytes : Arrays.copyOf(bytes, length));
    } else if (kind == OpCode.BINARY) {
      listener.binary(bytes.length == length ? bytes : Arrays.copyOf(bytes, length));
    } else {
      // validated as it arrived: no second pass, no replacement characters possible
      listener.text(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
  }

  private void endClose(byte[] payload) {
    stopped = true;
    if (draining) { // the answer to the close we sent: whatever its content, the handshake is complete
      draining = false;
      int code = payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : CloseCodes.NO_STATUS;
      listener.close(code, "");
      return;
    }
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

  /** A violation after which the framing cannot be trusted: nothing more is read. */
  private boolean fail(int code, String reason) {
    stopped = true;
    draining = false;
    message = EMPTY; // nothing of the message is of use any more; its memory goes at once
    messageLength = 0;
    messageSize = 0;
    messageOpcode = 0;
    dropping = false;
    utf8.reset();
    listener.fail(code, reason);
    return false;
  }

  /**
   * A violation in a frame whose header was sound: its {@code length} bytes of payload are skipped, then frames are
   * read only for the client's close (RFC 6455 7.1.1: the server closes the TCP connection once it has it).
   */
  private void failDraining(int code, String reason, long length) {
    fail(code, reason);
    stopped = false;
    draining = true;
    control = null;
    remaining = length;
    maskIndex = 0;
    inPayload = true;
    if (length == 0) {
      endFrame();
    }
  }
}
