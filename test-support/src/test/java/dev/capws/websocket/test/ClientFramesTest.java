package dev.capws.websocket.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ClientFramesTest {

  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  /** A frame decoded by hand, the way RFC 6455 section 5.2 lays it out. */
  private record Decoded(boolean fin, int opcode, boolean masked, int headerLength, byte[] payload) {}

  private static Decoded decode(byte[] frame) {
    boolean fin = (frame[0] & 0x80) != 0;
    int opcode = frame[0] & 0x0f;
    boolean masked = (frame[1] & 0x80) != 0;
    long length = frame[1] & 0x7f;
    int p = 2;
    if (length == 126) {
      length = (frame[2] & 0xff) << 8 | (frame[3] & 0xff);
      p = 4;
    } else if (length == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = length << 8 | (frame[i] & 0xff);
      }
      p = 10;
    }
    byte[] key = masked ? Arrays.copyOfRange(frame, p, p + 4) : null;
    int header = masked ? p + 4 : p;
    assertThat(frame).hasSize(header + (int) length);
    byte[] payload = Arrays.copyOfRange(frame, header, frame.length);
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= key[i % 4];
      }
    }
    return new Decoded(fin, opcode, masked, header, payload);
  }

  private static byte[] bytes(int n) {
    byte[] payload = new byte[n];
    for (int i = 0; i < n; i++) {
      payload[i] = (byte) (i * 7 + 3);
    }
    return payload;
  }

  @Test
  void aShortTextFrameHasATwoByteHeaderTheKeyAndTheMaskedPayload() {
    byte[] frame = ClientFrames.frame(ClientFrames.TEXT, "hi".getBytes(StandardCharsets.UTF_8), true, MASK);

    assertThat(frame).containsExactly(0x81, 0x82, 0x11, 0x22, 0x33, 0x44, 'h' ^ 0x11, 'i' ^ 0x22);
  }

  @Test
  void lengthsUseTheSevenSixteenAndSixtyFourBitForms() {
    for (int n : new int[] {0, 125, 126, 65535, 65536, 70000}) {
      byte[] payload = bytes(n);
      Decoded decoded = decode(ClientFrames.frame(ClientFrames.BINARY, payload, true, MASK));

      assertThat(decoded.headerLength()).as("header of %d bytes", n).isEqualTo(n < 126 ? 6 : n < 65536 ? 8 : 14);
      assertThat(decoded.payload()).as("payload of %d bytes", n).isEqualTo(payload);
      assertThat(ClientFrames.frameLength(n, true)).isEqualTo(decoded.headerLength() + n);
    }
  }

  @Test
  void withoutAMaskTheFrameIsUnmaskedAndThePayloadPlain() {
    byte[] frame = ClientFrames.frame(ClientFrames.PING, new byte[] {7, 8, 9}, true, null);

    assertThat(frame).containsExactly(0x89, 0x03, 7, 8, 9);
  }

  @Test
  void aNonFinalFrameAndItsContinuationCarryTheirSliceOfThePayload() {
    byte[] payload = "abcdef".getBytes(StandardCharsets.UTF_8);

    Decoded first = decode(ClientFrames.frame(ClientFrames.TEXT, payload, 0, 3, false, MASK));
    Decoded second = decode(ClientFrames.frame(ClientFrames.CONTINUATION, payload, 3, 3, true, MASK));

    assertThat(first.fin()).isFalse();
    assertThat(first.opcode()).isEqualTo(ClientFrames.TEXT);
    assertThat(first.payload()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(second.fin()).isTrue();
    assertThat(second.opcode()).isEqualTo(ClientFrames.CONTINUATION);
    assertThat(second.payload()).isEqualTo("def".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void maskedFramesGetAFreshKeyEachTime() {
    byte[] payload = bytes(32);

    Decoded one = decode(ClientFrames.masked(ClientFrames.CLOSE, payload));
    byte[] a = ClientFrames.masked(ClientFrames.TEXT, payload);
    byte[] b = ClientFrames.masked(ClientFrames.TEXT, payload);

    assertThat(one.fin()).isTrue();
    assertThat(one.masked()).isTrue();
    assertThat(one.opcode()).isEqualTo(ClientFrames.CLOSE);
    assertThat(one.payload()).isEqualTo(payload);
    assertThat(Arrays.copyOfRange(a, 2, 6)).isNotEqualTo(Arrays.copyOfRange(b, 2, 6)); // 2^-32 to fail by chance
    assertThat(ClientFrames.randomMask()).hasSize(4);
  }

  @Test
  void frameIntoWritesTheSameBytesAtTheBuffersPosition() {
    byte[] payload = bytes(300);
    ByteBuffer out = ByteBuffer.allocate(1024);
    out.put((byte) 42);

    int written = ClientFrames.frameInto(out, ClientFrames.TEXT, payload, 10, 200, 0x11223344);

    assertThat(written).isEqualTo(ClientFrames.frameLength(200, true));
    assertThat(out.position()).isEqualTo(1 + written);
    assertThat(Arrays.copyOfRange(out.array(), 1, 1 + written))
        .isEqualTo(ClientFrames.frame(ClientFrames.TEXT, payload, 10, 200, true, MASK));
  }

  @Test
  void frameIntoADirectBufferAndIntoOneTooSmall() {
    ByteBuffer direct = ByteBuffer.allocateDirect(64);
    ClientFrames.frameInto(direct, ClientFrames.PONG, new byte[] {1, 2}, 0, 2, 0x11223344);
    byte[] written = new byte[direct.flip().remaining()];
    direct.get(written);

    assertThat(written).isEqualTo(ClientFrames.frame(ClientFrames.PONG, new byte[] {1, 2}, true, MASK));
    assertThatThrownBy(() -> ClientFrames.frameInto(ByteBuffer.allocate(7), ClientFrames.TEXT, new byte[2], 0, 2, 0))
        .isInstanceOf(BufferOverflowException.class);
  }
}
