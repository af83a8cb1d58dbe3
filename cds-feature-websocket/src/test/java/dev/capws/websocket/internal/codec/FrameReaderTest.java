package dev.capws.websocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 framing of client frames, fed in pieces of every size. */
class FrameReaderTest {

  /** Records what the reader reports, as short strings. */
  static final class Recorder implements FrameReader.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void text(String message) {
      events.add("text:" + message);
    }

    @Override
    public void binary(byte[] message) {
      events.add("binary:" + message.length);
    }

    @Override
    public void ping(byte[] payload) {
      events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void pong() {
      events.add("pong");
    }

    @Override
    public void close(int code, String reason) {
      events.add("close:" + code + ":" + reason);
    }

    @Override
    public void fail(int code, String reason) {
      events.add("fail:" + code);
    }
  }

  /** A masked client frame. */
  static byte[] frame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int length = payload.length;
    if (length < 126) {
      out.write(0x80 | length);
    } else if (length < 65536) {
      out.write(0x80 | 126);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) ((long) length >> (8 * i)));
      }
    }
    byte[] mask = { 0x11, 0x22, 0x33, 0x44 };
    out.writeBytes(mask);
    for (int i = 0; i < length; i++) {
      out.write(payload[i] ^ mask[i & 3]);
    }
    return out.toByteArray();
  }

  static byte[] text(String text) {
    return frame(true, 1, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static List<String> read(byte[] bytes, int chunk, long max) {
    Recorder recorder = new Recorder();
    FrameReader reader = new FrameReader(max, recorder);
    for (int i = 0; i < bytes.length; i += chunk) {
      reader.feed(bytes, i, Math.min(chunk, bytes.length - i));
    }
    return recorder.events;
  }

  @ParameterizedTest(name = "in pieces of {0} bytes")
  @ValueSource(ints = { 1, 2, 3, 7, 64, 100_000 })
  @DisplayName("B1: messages, fragments, pings and a close arrive whole and in order, however the bytes are cut")
  void pieces(int chunk) {
    String big = "é".repeat(40_000); // 80,000 bytes: a 64-bit length
    byte[] stream = concat(text("hello"), frame(false, 1, "frag".getBytes(StandardCharsets.UTF_8)),
        frame(true, 9, "p".getBytes(StandardCharsets.UTF_8)), // a ping between fragments is allowed
        frame(false, 0, "men".getBytes(StandardCharsets.UTF_8)), frame(true, 0, "ted".getBytes(StandardCharsets.UTF_8)),
        text(big), frame(true, 2, new byte[300]), frame(true, 10, new byte[0]), text(""),
        frame(true, 8, concat(new byte[] { 0x03, (byte) 0xE8 }, "bye".getBytes(StandardCharsets.UTF_8))),
        text("after close"));
    assertThat(read(stream, chunk, 1 << 20)).containsExactly("text:hello", "ping:p", "text:fragmented",
        "text:" + big, "binary:300", "pong", "text:", "close:1000:bye");
  }

  @Test
  @DisplayName("B1: violations end reading with the RFC's close code")
  void violations() {
    byte[] unmasked = { (byte) 0x81, 0x02, 'h', 'i' };
    assertThat(read(unmasked, 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(true, 0x3, new byte[1]), 1, 100)).containsExactly("fail:1002"); // reserved opcode
    assertThat(read(frame(true, 0xB, new byte[1]), 1, 100)).containsExactly("fail:1002");
    byte[] rsv = text("x");
    rsv[0] |= 0x40;
    assertThat(read(rsv, 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(false, 9, new byte[1]), 1, 100)).containsExactly("fail:1002"); // fragmented control
    assertThat(read(frame(true, 9, new byte[126]), 1, 1000)).containsExactly("fail:1002"); // control > 125
    assertThat(read(frame(true, 0, new byte[1]), 1, 100)).containsExactly("fail:1002"); // continuation first
    assertThat(read(concat(frame(false, 1, new byte[1]), text("x")), 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(true, 1, new byte[] { (byte) 0xC3, 0x28 }), 1, 100)).containsExactly("fail:1007");
    assertThat(read(frame(true, 8, new byte[] { 0x03 }), 1, 100)).containsExactly("fail:1002"); // 1-byte close
    assertThat(read(frame(true, 8, new byte[] { 0x03, (byte) 0xED }), 1, 100)).containsExactly("fail:1002"); // 1005
    assertThat(read(frame(true, 8, new byte[] { 0x03, (byte) 0xE8, (byte) 0xFF }), 1, 100))
        .containsExactly("fail:1007");
    assertThat(read(frame(true, 8, new byte[0]), 1, 100)).containsExactly("close:1005:");
  }

  @Test
  @DisplayName("B1: a message over the limit is refused with 1009 from its header, before its payload is buffered")
  void tooBig() {
    byte[] header = java.util.Arrays.copyOf(frame(true, 1, new byte[2 << 20]), 14); // announces 2 MiB, sends none
    assertThat(read(header, 1, 1 << 20)).containsExactly("fail:1009");
    // fragments add up: two of 600 KiB exceed 1 MiB
    byte[] half = new byte[600 * 1024];
    assertThat(read(concat(frame(false, 1, half), frame(true, 0, half)), 4096, 1 << 20)).containsExactly("fail:1009");
  }
}
