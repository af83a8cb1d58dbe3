package dev.capws.websocket.test;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The one encoder of client-to-server RFC 6455 frames, shared by the tests' raw sockets, the codec's unit tests and
 * the load generator, so that a fix to the framing happens once. A client must mask every frame; an unmasked one can
 * be built on purpose, to test that the server refuses it.
 */
public final class ClientFrames {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ClientFrames() {
  }

  /**
   * One frame with the payload bytes [offset, offset + length). The opcode is or-ed into the first byte as given, so a
   * test can also set reserved bits or use reserved opcodes. {@code mask == null} builds an unmasked frame, which a
   * server must refuse; otherwise mask holds the four masking-key bytes.
   */
  public static byte[] frame(int opcode, byte[] payload, int offset, int length, boolean fin, byte[] mask) {
    boolean masked = mask != null;
    if (masked && mask.length != 4) {
      throw new IllegalArgumentException("a masking key has 4 bytes, not " + mask.length);
    }
    byte[] frame = new byte[frameLength(length, masked)];
    encode(frame, 0, opcode, fin, payload, offset, length, masked, masked ? maskKey(mask) : 0);
    return frame;
  }

  /** One frame with the whole payload; {@code mask == null} builds an unmasked frame. */
  public static byte[] frame(int opcode, byte[] payload, boolean fin, byte[] mask) {
    return frame(opcode, payload, 0, payload.length, fin, mask);
  }

  /** One final frame, masked with a random key, as a well-behaved client sends it. */
  public static byte[] masked(int opcode, byte[] payload) {
    return frame(opcode, payload, true, randomMask());
  }

  /** A fresh masking key; RFC 6455 asks for an unpredictable one, hence a SecureRandom. */
  public static byte[] randomMask() {
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    return mask;
  }

  /** The size of a frame with this payload length: header (2, 4 or 10 bytes), masking key, payload. */
  public static int frameLength(int payloadLength, boolean masked) {
    int header = payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
    return header + (masked ? 4 : 0) + payloadLength;
  }

  /**
   * Writes one final, masked frame at out's position and advances it; returns the bytes written. For a sender that
   * reuses one buffer for every frame (the load generator's hot path), so no array is allocated per frame. The mask
   * is the four key bytes, big-endian. Throws {@link java.nio.BufferOverflowException} if the frame does not fit.
   */
  public static int frameInto(ByteBuffer out, int opcode, byte[] payload, int offset, int length, int mask) {
    int size = frameLength(length, true);
    if (out.remaining() < size) {
      throw new BufferOverflowException();
    }
    if (out.hasArray()) {
      encode(out.array(), out.arrayOffset() + out.position(), opcode, true, payload, offset, length, true, mask);
      out.position(out.position() + size);
    } else {
      byte[] frame = new byte[size]; // direct buffers have no array to encode into
      encode(frame, 0, opcode, true, payload, offset, length, true, mask);
      out.put(frame);
    }
    return size;
  }

  private static int maskKey(byte[] mask) {
    return (mask[0] & 0xff) << 24 | (mask[1] & 0xff) << 16 | (mask[2] & 0xff) << 8 | (mask[3] & 0xff);
  }

  /** The encoder itself: writes the frame into f from index at; returns the index after it. */
  private static int encode(byte[] f, int at, int opcode, boolean fin, byte[] payload, int offset, int length,
      boolean masked, int mask) {
    int p = at;
    f[p++] = (byte) ((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (length < 126) {
      f[p++] = (byte) (maskBit | length);
    } else if (length < 65536) {
      f[p++] = (byte) (maskBit | 126);
      f[p++] = (byte) (length >>> 8);
      f[p++] = (byte) length;
    } else {
      f[p++] = (byte) (maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f[p++] = (byte) ((long) length >>> shift);
      }
    }
    if (!masked) {
      System.arraycopy(payload, offset, f, p, length);
      return p + length;
    }
    int m = p;
    f[p++] = (byte) (mask >>> 24);
    f[p++] = (byte) (mask >>> 16);
    f[p++] = (byte) (mask >>> 8);
    f[p++] = (byte) mask;
    for (int i = 0; i < length; i++) {
      f[p + i] = (byte) (payload[offset + i] ^ f[m + (i & 3)]);
    }
    return p + length;
  }
}
