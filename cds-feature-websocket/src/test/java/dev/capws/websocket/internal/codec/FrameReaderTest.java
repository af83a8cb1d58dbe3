package dev.capws.websocket.internal.codec;

import static dev.capws.websocket.test.ClientFrames.BINARY;
import static dev.capws.websocket.test.ClientFrames.CLOSE;
import static dev.capws.websocket.test.ClientFrames.CONTINUATION;
import static dev.capws.websocket.test.ClientFrames.PING;
import static dev.capws.websocket.test.ClientFrames.PONG;
import static dev.capws.websocket.test.ClientFrames.TEXT;
import static dev.capws.websocket.test.ClientFrames.frame;
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

  private static final byte[] MASK = { 0x11, 0x22, 0x33, 0x44 };

  static byte[] text(String text) {
    return frame(TEXT, text.getBytes(StandardCharsets.UTF_8), true, MASK);
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
    byte[] stream = concat(text("hello"), frame(TEXT, "frag".getBytes(StandardCharsets.UTF_8), false, MASK),
        frame(PING, "p".getBytes(StandardCharsets.UTF_8), true, MASK), // a ping between fragments is allowed
        frame(CONTINUATION, "men".getBytes(StandardCharsets.UTF_8), false, MASK),
        frame(CONTINUATION, "ted".getBytes(StandardCharsets.UTF_8), true, MASK),
        text(big), frame(BINARY, new byte[300], true, MASK), frame(PONG, new byte[0], true, MASK), text(""),
        frame(CLOSE, concat(new byte[] { 0x03, (byte) 0xE8 }, "bye".getBytes(StandardCharsets.UTF_8)), true, MASK),
        text("after close"));
    assertThat(read(stream, chunk, 1 << 20)).containsExactly("text:hello", "ping:p", "text:fragmented",
        "text:" + big, "binary:300", "pong", "text:", "close:1000:bye");
  }

  @Test
  @DisplayName("B1: violations end reading with the RFC's close code")
  void violations() {
    byte[] unmasked = frame(TEXT, "hi".getBytes(StandardCharsets.UTF_8), true, null);
    assertThat(read(unmasked, 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(0x3, new byte[1], true, MASK), 1, 100)).containsExactly("fail:1002"); // reserved opcode
    assertThat(read(frame(0xB, new byte[1], true, MASK), 1, 100)).containsExactly("fail:1002");
    byte[] rsv = text("x");
    rsv[0] |= 0x40;
    assertThat(read(rsv, 1, 100)).containsExactly("fail:1002");
    // fragmented control
    assertThat(read(frame(PING, new byte[1], false, MASK), 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(PING, new byte[126], true, MASK), 1, 1000)).containsExactly("fail:1002"); // control > 125
    // continuation first
    assertThat(read(frame(CONTINUATION, new byte[1], true, MASK), 1, 100)).containsExactly("fail:1002");
    assertThat(read(concat(frame(TEXT, new byte[1], false, MASK), text("x")), 1, 100)).containsExactly("fail:1002");
    assertThat(read(frame(TEXT, new byte[] { (byte) 0xC3, 0x28 }, true, MASK), 1, 100))
        .containsExactly("fail:1007");
    // 1-byte close
    assertThat(read(frame(CLOSE, new byte[] { 0x03 }, true, MASK), 1, 100)).containsExactly("fail:1002");
    // 1005
    assertThat(read(frame(CLOSE, new byte[] { 0x03, (byte) 0xED }, true, MASK), 1, 100))
        .containsExactly("fail:1002");
    assertThat(read(frame(CLOSE, new byte[] { 0x03, (byte) 0xE8, (byte) 0xFF }, true, MASK), 1, 100))
        .containsExactly("fail:1007");
    assertThat(read(frame(CLOSE, new byte[0], true, MASK), 1, 100)).containsExactly("close:1005:");
  }

  @Test
  @DisplayName("B1: a message over the limit is refused with 1009 from its header, before its payload is buffered")
  void tooBig() {
    // announces 2 MiB, sends none
    byte[] header = java.util.Arrays.copyOf(frame(TEXT, new byte[2 << 20], true, MASK), 14);
    assertThat(read(header, 1, 1 << 20)).containsExactly("fail:1009");
    // fragments add up: two of 600 KiB exceed 1 MiB
    byte[] half = new byte[600 * 1024];
    assertThat(read(concat(frame(TEXT, half, false, MASK), frame(CONTINUATION, half, true, MASK)), 4096, 1 << 20))
        .containsExactly("fail:1009");
  }
}
