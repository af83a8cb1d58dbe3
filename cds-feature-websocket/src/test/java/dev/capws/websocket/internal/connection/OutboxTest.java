package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.OutboundFrame;

/** The outbox against a scripted sink: the network is the one part no user touches here. */
class OutboxTest {

  /** Records frames (as text, a ping as "<ping>") and batches; completes each batch inline, or when told. */
  static final class ScriptedSink implements FrameSink {
    final List<String> sent = new ArrayList<>();
    final List<List<String>> batches = new ArrayList<>();
    final ConcurrentLinkedQueue<Consumer<Throwable>> pending = new ConcurrentLinkedQueue<>();
    boolean inline = true;
    int inFlight;
    int maxInFlight;
    Integer closeCode;

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> onSent) {
      List<String> batch = frames.stream().map(OutboxTest::text).toList();
      batches.add(batch);
      sent.addAll(batch);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      Consumer<Throwable> done = failure -> {
        inFlight--;
        onSent.accept(failure);
      };
      if (inline) {
        done.accept(null);
      } else {
        pending.add(done);
      }
    }

    @Override
    public void close(int code, String reason) {
      closeCode = code;
    }

    void completeOne(Throwable failure) {
      pending.poll().accept(failure);
    }
  }

  /** Reads a frame back from its wire bytes. */
  static String text(OutboundFrame frame) {
    byte[] wire = frame.wire();
    if ((wire[0] & 0x0F) == 0x9) {
      return "<ping>";
    }
    if ((wire[0] & 0x0F) == 0xA) {
      return "<pong:" + new String(wire, 2, wire.length - 2, StandardCharsets.UTF_8) + ">";
    }
    int length7 = wire[1] & 0x7F;
    int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
    return new String(wire, header, wire.length - header, StandardCharsets.UTF_8);
  }

  private static OutboundFrame frame(String text) {
    return OutboundFrame.text(text);
  }

  @Test
  @DisplayName("B2: frames leave in order, one in flight at a time, and inline completions do not deepen the stack")
  void inlineCompletions() {
    ScriptedSink sink = new ScriptedSink();
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    for (int i = 0; i < 200_000; i++) {
      assertThat(outbox.offer(frame("f" + i))).isTrue();
    }
    assertThat(sink.sent).hasSize(200_000).startsWith("f0", "f1").endsWith("f199999");
    assertThat(sink.maxInFlight).isEqualTo(1);
  }

  @Test
  @DisplayName("B2: while a batch is in flight, later frames wait and then leave together as the next batch")
  void asyncCompletions() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    outbox.offer(frame("c"));
    assertThat(sink.sent).containsExactly("a");
    sink.completeOne(null);
    assertThat(sink.batches).containsExactly(List.of("a"), List.of("b", "c"));
    sink.completeOne(null);
    assertThat(sink.maxInFlight).isEqualTo(1);
    // idle again: the next offer sends at once
    outbox.offer(frame("d"));
    assertThat(sink.sent).containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName("B2: a client whose queue reaches the limit is closed with 1013 and gets nothing more")
  void overflow() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 3, Long.MAX_VALUE);
    outbox.offer(frame("in flight"));
    for (int i = 0; i < 3; i++) {
      assertThat(outbox.offer(frame("q" + i))).isTrue();
    }
    assertThat(outbox.offer(frame("one too many"))).isFalse();
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    sink.completeOne(null);
    assertThat(outbox.offer(frame("after"))).isFalse();
    assertThat(sink.sent).containsExactly("in flight");
  }

  @Test
  @DisplayName("Heartbeat: pings wait their turn behind queued frames, never beside one in flight")
  void pingsQueue() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer(frame("a"));
    outbox.offerPing(OutboundFrame.PING);
    outbox.offer(frame("b"));
    assertThat(sink.sent).containsExactly("a");
    sink.completeOne(null);
    assertThat(sink.batches).containsExactly(List.of("a"), List.of("<ping>", "b"));
    assertThat(sink.maxInFlight).isEqualTo(1);
  }

  @Test
  @DisplayName("B2: the queue is bounded in bytes too; one frame larger than the bound still goes alone")
  void characterBudget() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 1000, 100);
    assertThat(outbox.offer(frame("x".repeat(500)))).isTrue(); // in flight at once: nothing waits
    assertThat(outbox.offer(frame("y".repeat(60)))).isTrue(); // nothing waits but the one being written
    assertThat(outbox.offer(frame("z"))).isFalse(); // 502 + 62 + 3 bytes not yet written > 100
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  @DisplayName("Limits: the byte bound counts the batch being written: a stuck client holds the bound, not twice it")
  void inFlightCounts() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 1000, 100);
    assertThat(outbox.offer(frame("x".repeat(58)))).isTrue(); // 60 bytes, in flight, stuck
    assertThat(outbox.offer(frame("y".repeat(18)))).isTrue(); // 60 + 20
    assertThat(outbox.offer(frame("z".repeat(18)))).isTrue(); // 60 + 40
    assertThat(outbox.offer(frame(""))).isFalse(); // 60 + 40 + 2 > 100
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);

    ScriptedSink written = new ScriptedSink();
    written.inline = false;
    Outbox drains = new Outbox(written, 1000, 100);
    drains.offer(frame("x".repeat(58)));
    drains.offer(frame("y".repeat(38))); // 60 + 40
    written.completeOne(null); // the 60 have left: the 40 are in flight now
    assertThat(drains.offer(frame("z".repeat(48)))).isTrue(); // 40 + 50
    assertThat(written.closeCode).isNull();
  }

  @Test
  @DisplayName("A failed send closes the connection and drops what was queued")
  void failedSend() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    sink.completeOne(new java.io.IOException("broken pipe"));
    assertThat(sink.closeCode).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(sink.sent).containsExactly("a");
    assertThat(outbox.offer(frame("c"))).isFalse();
  }

  @Test
  @DisplayName("Concurrent producers lose no frame and keep each producer's order")
  void concurrentProducers() throws InterruptedException {
    ScriptedSink sink = new ScriptedSink();
    List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    FrameSink threadSafe = new FrameSink() {
      @Override
      public void send(List<OutboundFrame> frames, Consumer<Throwable> onSent) {
        frames.forEach(frame -> sent.add(text(frame)));
        onSent.accept(null);
      }

      @Override
      public void close(int code, String reason) {
        sink.closeCode = code;
      }
    };
    Outbox outbox = new Outbox(threadSafe, 1_000_000, Long.MAX_VALUE);
    Thread[] producers = new Thread[4];
    for (int p = 0; p < producers.length; p++) {
      int id = p;
      producers[p] = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          outbox.offer(frame(id + ":" + i));
        }
      });
      producers[p].start();
    }
    for (Thread producer : producers) {
      producer.join();
    }
    assertThat(sent).hasSize(200_000);
    int[] last = { -1, -1, -1, -1 };
    for (String frame : sent) {
      String[] parts = frame.split(":");
      int producer = Integer.parseInt(parts[0]);
      int index = Integer.parseInt(parts[1]);
      assertThat(index).isEqualTo(last[producer] + 1);
      last[producer] = index;
    }
    assertThat(sink.closeCode).isNull();
  }

  @Test
  @DisplayName("B2: frames handed over together (events that waited for the fan-out) leave as one batch, within the limit")
  void offeredTogether() {
    ScriptedSink sink = new ScriptedSink();
    Outbox outbox = new Outbox(sink, 3, Long.MAX_VALUE);
    assertThat(outbox.offer(List.of(frame("a"), frame("b"), frame("c")))).isTrue();
    assertThat(sink.batches).containsExactly(List.of("a", "b", "c"));
    assertThat(outbox.offer(List.of(frame("1"), frame("2"), frame("3"), frame("4")))).isFalse();
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    assertThat(sink.batches).hasSize(1);
  }

  private static OutboundFrame pong(String payload) {
    return OutboundFrame.pong(payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("Limits: while a batch is in flight, only the latest ping's pong waits, and it leaves first")
  void onePongWaits() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 3, Long.MAX_VALUE);
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    for (int i = 0; i < 10_000; i++) { // a client pinging without reading
      assertThat(outbox.offerPong(pong("p" + i))).isTrue();
    }
    outbox.offer(frame("c"));
    sink.completeOne(null);
    assertThat(sink.batches).containsExactly(List.of("a"), List.of("<pong:p9999>", "b", "c"));
    assertThat(sink.closeCode).isNull();
  }

  @Test
  @DisplayName("Limits: a pong counts against the outbound limit like any frame")
  void pongCounts() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 2, Long.MAX_VALUE);
    outbox.offer(frame("in flight"));
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    assertThat(outbox.offerPong(pong("p"))).isFalse();
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
  }
}
