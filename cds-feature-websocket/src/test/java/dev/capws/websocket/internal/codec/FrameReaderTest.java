package dev.capws.websocket.internal.codec;

import static dev.capws.websocket.test.ClientFrames.BINARY;
import static dev.capws.websocket.test.ClientFrames.CLOSE;
import static dev.capws.websocket.test.ClientFrames.CONTINUATION;
import static dev.capws.websocket.test.ClientFrames.PING;
import static dev.capws.websocket.test.ClientFrames.PONG;
import static dev.capws.websocket.test.ClientFrames.TEXT;
import static dev.capws.websocket.test.ClientFrames.frame;

import dev.capws.websocket.test.ClientFrames;
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
  static class Recorder implements FrameReader.Listener {
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

  /** A recorder that refuses every frame of the given opcodes, and counts what it was asked. */
  static final class Refusing extends Recorder {
    final java.util.Set<Integer> refused;
    final List<Integer> asked = new ArrayList<>();

    Refusing(Integer... refused) {
      this.refused = java.util.Set.of(refused);
    }

    @Override
    public boolean admit(int opcode) {
      asked.add(opcode);
      return !refused.contains(opcode);
    }

    @Override
    public void dropped(byte[] head) {
      events.add("dropped:" + new String(head, StandardCharsets.UTF_8));
    }
  }

  private static byte[] header(int opcode, int length, boolean fin) {
    byte[] full = frame(opcode, new byte[length], fin, MASK);
    return java.util.Arrays.copyOf(full, ClientFrames.frameLength(length, true) - length);
  }

  @Test
  @DisplayName("Limits: a header announcing 1 MiB allocates nothing; the buffer grows with the bytes that come")
  void memoryFollowsData() {
    Recorder recorder = new Recorder();
    FrameReader reader = new FrameReader(1 << 20, recorder);
    byte[] whole = frame(TEXT, "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8), true, MASK);
    int headerLength = whole.length - (1 << 20);
    reader.feed(whole, 0, headerLength);
    assertThat(reader.buffered()).isZero();
    reader.feed(whole, headerLength, 1000);
    assertThat(reader.buffered()).isBetween(1000, 2000);
    reader.feed(whole, headerLength + 1000, 100_000);
    assertThat(reader.buffered()).isBetween(101_000, 202_000);
    reader.feed(whole, headerLength + 101_000, whole.length - headerLength - 101_000);
    assertThat(recorder.events).containsExactly("text:" + "x".repeat(1 << 20));
    assertThat(reader.buffered()).as("nothing held between messages").isZero();
  }

  @Test
  @DisplayName("Limits: invalid UTF-8 fails at once (1007), inside a fragment and before its frame has ended")
  void invalidUtf8FailsFast() {
    // Autobahn 6.4.1: a valid first fragment, then an invalid one; the message never ends
    byte[] first = frame(TEXT, "κόσμε".getBytes(StandardCharsets.UTF_8), false, MASK);
    byte[] second = frame(CONTINUATION, new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, false,
        MASK);
    assertThat(read(concat(first, second), 1, 1 << 20)).containsExactly("fail:1007");
    // Autobahn 6.4.3: the invalid byte arrives, the frame's other 90 bytes never do
    byte[] payload = new byte[100];
    java.util.Arrays.fill(payload, (byte) 'a');
    payload[5] = (byte) 0xC0; // an overlong form's lead byte
    byte[] frame = frame(TEXT, payload, true, MASK);
    assertThat(read(java.util.Arrays.copyOf(frame, frame.length - 90), 3, 1 << 20)).containsExactly("fail:1007");
    // a character cut by the end of the message
    assertThat(read(frame(TEXT, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 }, true, MASK), 1, 100))
        .containsExactly("fail:1007");
    // a character split between fragments is fine
    assertThat(read(concat(frame(TEXT, new byte[] { (byte) 0xE2, (byte) 0x82 }, false, MASK),
        frame(CONTINUATION, new byte[] { (byte) 0xAC }, true, MASK)), 1, 100)).containsExactly("text:€");
  }

  @ParameterizedTest(name = "in pieces of {0} bytes")
  @ValueSource(ints = { 1, 5, 100_000 })
  @DisplayName("B1: after a violation in a sound frame (invalid UTF-8, too big), the rest of it and later frames are "
      + "skipped until the client's close, which is reported: its answer to ours")
  void closeAnswerAfterViolation(int chunk) {
    byte[] payload = new byte[100];
    java.util.Arrays.fill(payload, (byte) 'a');
    payload[5] = (byte) 0xC0;
    byte[] close = frame(CLOSE, new byte[] { 0x03, (byte) 0xEF }, true, MASK); // 1007, echoed
    assertThat(read(concat(frame(TEXT, payload, true, MASK), text("ignored"),
        frame(PING, new byte[0], true, MASK), close, text("after")), chunk, 1 << 20))
        .containsExactly("fail:1007", "close:1007:");
    assertThat(read(concat(frame(TEXT, new byte[300], true, MASK), frame(CONTINUATION, new byte[3], true, MASK),
        close), chunk, 100)).containsExactly("fail:1009", "close:1007:");
    // a header that breaks the framing ends all reading: a close after it is not looked for
    assertThat(read(concat(frame(TEXT, payload, true, MASK), new byte[] { (byte) 0xF1, (byte) 0x80 }, close), chunk,
        1 << 20)).containsExactly("fail:1007", "fail:1002");
  }

  @Test
  @DisplayName("Limits: a refused message is skipped, not assembled: only its head is kept, still checked to the end")
  void refusedMessageSkipped() {
    Refusing refusing = new Refusing(TEXT);
    FrameReader reader = new FrameReader(1 << 20, refusing);
    String big = "{\"event\":\"whoAmI\",\"id\":7,\"data\":\"" + "y".repeat(200_000) + "\"}";
    byte[] stream = concat(text(big), frame(BINARY, "ok".getBytes(StandardCharsets.UTF_8), true, MASK));
    for (int i = 0; i < stream.length; i += 4096) {
      reader.feed(stream, i, Math.min(4096, stream.length - i));
      assertThat(reader.buffered()).isLessThanOrEqualTo(2 * FrameReader.DROPPED_HEAD);
    }
    assertThat(refusing.events).containsExactly("dropped:" + big.substring(0, FrameReader.DROPPED_HEAD),
        "binary:2");
    // a refused message with invalid UTF-8 past its head still fails
    byte[] bad = ("x".repeat(3000) + "\u00e9").getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 2] = (byte) 0xFF;
    Refusing again = new Refusing(TEXT);
    new FrameReader(1 << 20, again).feed(frame(TEXT, bad, true, MASK), 0, bad.length + 8);
    assertThat(again.events).containsExactly("fail:1007");
  }

  @Test
  @DisplayName("Limits: every frame but close asks to be admitted; fragments of a message over the rate are dropped")
  void framesAdmitted() {
    Refusing refusing = new Refusing(CONTINUATION, PING);
    byte[] stream = concat(frame(TEXT, "ab".getBytes(StandardCharsets.UTF_8), false, MASK),
        frame(PING, "p".getBytes(StandardCharsets.UTF_8), true, MASK),
        frame(CONTINUATION, "cd".getBytes(StandardCharsets.UTF_8), false, MASK),
        frame(CONTINUATION, "ef".getBytes(StandardCharsets.UTF_8), true, MASK),
        frame(PONG, new byte[0], true, MASK), text("next"), frame(CLOSE, new byte[0], true, MASK));
    new FrameReader(100, refusing).feed(stream, 0, stream.length);
    assertThat(refusing.asked).containsExactly(TEXT, PING, CONTINUATION, CONTINUATION, PONG, TEXT);
    assertThat(refusing.events).containsExactly("dropped:abcdef", "pong", "text:next", "close:1005:");
  }

  @Test
  @DisplayName("Limits: a message still unfinished after the message timeout fails with 1008 at its next frame")
  void messageTimeout() {
    Recorder recorder = new Recorder();
    FrameReader reader = new FrameReader(100, 1, recorder);
    byte[] first = frame(TEXT, "a".getBytes(StandardCharsets.UTF_8), false, MASK);
    reader.feed(first, 0, first.length);
    assertThat(reader.unfinishedMessage()).isEqualTo(1);
    long start = System.nanoTime();
    while (System.nanoTime() - start < 5_000_000) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the timeout is the point: let 1 ms pass
    }
    byte[] rest = frame(CONTINUATION, "b".getBytes(StandardCharsets.UTF_8), true, MASK);
    reader.feed(rest, 0, rest.length);
    assertThat(recorder.events).containsExactly("fail:1008");
  }

  @Test
  @DisplayName("Limits: the incremental UTF-8 check agrees with Java's strict decoder, however the bytes are cut")
  void utf8AgreesWithDecoder() {
    java.util.Random random = new java.util.Random(6455);
    byte[] alphabet = { 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
        (byte) 0xE0, (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4,
        (byte) 0x8F, (byte) 0xF5, (byte) 0xFF };
    for (int run = 0; run < 20_000; run++) {
      byte[] bytes = new byte[random.nextInt(8)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      Utf8Validator validator = new Utf8Validator();
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      boolean valid = validator.accept(bytes, 0, cut) && validator.accept(bytes, cut, bytes.length - cut)
          && validator.complete();
      assertThat(valid).as("%s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(Utf8.decode(bytes, bytes.length) != null);
    }
  }
}
