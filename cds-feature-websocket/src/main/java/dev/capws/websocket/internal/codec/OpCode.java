package dev.capws.websocket.internal.codec;

/** The RFC 6455 opcodes (section 5.2), one list for the reader and the writer. */
public final class OpCode {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private OpCode() {}

  /** Close, ping and pong: at most 125 bytes, never fragmented, allowed in the middle of a message. */
  public static boolean isControl(int opcode) {
    return opcode >= CLOSE;
  }

  /** Whether RFC 6455 defines the opcode (the others are reserved and fail the connection). */
  public static boolean isKnown(int opcode) {
    return opcode <= BINARY || opcode >= CLOSE && opcode <= PONG;
  }
}
