package dev.capws.websocket.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * A server-to-client frame, encoded once for the wire (RFC 6455: server frames are not masked, so every recipient
 * of a broadcast gets the very same bytes). The fan-out shares one instance between all recipients: no client costs
 * an encoding of its own.
 */
public final class OutboundFrame {

  /** A ping with no payload. */
  public static final OutboundFrame PING = new OutboundFrame(encode(OpCode.PING, new byte[0]));

  private static final int FIN = 0x80;
  /** What a control frame may carry (RFC 6455, 5.5). */
  private static final int MAX_CONTROL_PAYLOAD = 125;

  private final byte[] wire;
  /** Where the event stands in its service's history ({@code "seq"}), or null. */
  private final String position;

  private OutboundFrame(byte[] wire) {
    this(wire, null);
  }

  private OutboundFrame(byte[] wire, String position) {
    this.wire = wire;
    this.position = position;
  }

  /** One unfragmented text frame. */
  public static OutboundFrame text(String text) {
    return new OutboundFrame(encode(OpCode.TEXT, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The text frame of an event at a position of its history (null: none), so that recovery can tell it apart. */
  public static OutboundFrame event(String text, String position) {
    return new OutboundFrame(encode(OpCode.TEXT, text.getBytes(StandardCharsets.UTF_8)), position);
  }

  /** The event's position in its history, or null. */
  public String position() {
    return position;
  }

  /** A pong echoing a ping's payload (at most 125 bytes, as the reader enforces for control frames). */
  public static OutboundFrame pong(byte[] payload) {
    return new OutboundFrame(encode(OpCode.PONG, payload));
  }

  /** A close frame: the code, then the reason cut to fit the 125 bytes a control frame may carry. */
  public static OutboundFrame close(int code, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
    while (length > 0 && length < text.length && (text[length] & 0xC0) == 0x80) {
      length--; // do not cut a character in half: the reason must stay valid UTF-8
    }
    byte[] payload = new byte[2 + length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, length);
    return new OutboundFrame(encode(OpCode.CLOSE, payload));
  }

  private static byte[] encode(int opcode, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
    byte[] frame = new byte[header + length];
    frame[0] = (byte) (FIN | opcode);
    if (header == 2) {
      frame[1] = (byte) length;
    } else if (header == 4) {
      frame[1] = 126;
      frame[2] = (byte) (length >> 8);
      frame[3] = (byte) length;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, length);
    return frame;
  }

  /** The bytes on the wire; shared, never to be modified. */
  public byte[] wire() {
    return wire;
  }

  /** Bytes on the wire, what the outbound queue limit counts. */
  public int size() {
    return wire.length;
  }
}
