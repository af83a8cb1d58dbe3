package dev.capws.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The outbox against a scripted sink: the network is the one part no user touches here. */
class OutboxTest {

  /** Records frames; completes each send inline, or later when the test says so. */
  static final class ScriptedSink implements FrameSink {
    final List<String> sent = new ArrayList<>();
    final ConcurrentLinkedQueue<Consumer<Throwable>> pending = new ConcurrentLinkedQueue<>();
    boolean inline = true;
    int inFlight;
    int maxInFlight;
    Integer closeCode;

    @Override
    public void send(String frame, Consumer<Throwable> onSent) {
      sent.add(frame);
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
    public void ping(Consumer<Throwable> onSent) {
      send("<ping>", onSent);
    }

    @Override
    public void close(int code, String reason) {
      closeCode = code;
    }

    void completeOne(Throwable failure) {
      pending.poll().accept(failure);
    }
  }

  @Test
  @DisplayName("B2: frames leave in order, one in flight at a time, and inline completions do not deepen the stack")
  void inlineCompletions() {
    ScriptedSink sink = new ScriptedSink();
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    for (int i = 0; i < 200_000; i++) {
      assertThat(outbox.offer("f" + i)).isTrue();
    }
    assertThat(sink.sent).hasSize(200_000).startsWith("f0", "f1").endsWith("f199999");
    assertThat(sink.maxInFlight).isEqualTo(1);
  }

  @Test
  @DisplayName("B2: while a frame is in flight, later frames wait; each completion sends the next")
  void asyncCompletions() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer("a");
    outbox.offer("b");
    outbox.offer("c");
    assertThat(sink.sent).containsExactly("a");
    assertThat(outbox.size()).isEqualTo(2);
    sink.completeOne(null);
    assertThat(sink.sent).containsExactly("a", "b");
    sink.completeOne(null);
    sink.completeOne(null);
    assertThat(sink.sent).containsExactly("a", "b", "c");
    assertThat(sink.maxInFlight).isEqualTo(1);
    // idle again: the next offer sends at once
    outbox.offer("d");
    assertThat(sink.sent).containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName("B2: a client whose queue reaches the limit is closed with 1013 and gets nothing more")
  void overflow() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 3, Long.MAX_VALUE);
    outbox.offer("in flight");
    for (int i = 0; i < 3; i++) {
      assertThat(outbox.offer("q" + i)).isTrue();
    }
    assertThat(outbox.offer("one too many")).isFalse();
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    assertThat(outbox.size()).isZero();
    sink.completeOne(null);
    assertThat(outbox.offer("after")).isFalse();
    assertThat(sink.sent).containsExactly("in flight");
  }

  @Test
  @DisplayName("Heartbeat: pings wait their turn behind queued frames, never beside one in flight")
  void pingsQueue() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer("a");
    outbox.offerPing();
    outbox.offer("b");
    assertThat(sink.sent).containsExactly("a");
    sink.completeOne(null);
    sink.completeOne(null);
    sink.completeOne(null);
    assertThat(sink.sent).containsExactly("a", "<ping>", "b");
    assertThat(sink.maxInFlight).isEqualTo(1);
  }

  @Test
  @DisplayName("B2: the queue is bounded in characters too; one frame larger than the bound still goes alone")
  void characterBudget() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 1000, 100);
    assertThat(outbox.offer("x".repeat(500))).isTrue(); // in flight at once: nothing waits
    assertThat(outbox.offer("y".repeat(60))).isTrue();
    assertThat(outbox.offer("z".repeat(30))).isTrue();
    assertThat(outbox.offer("w".repeat(20))).isFalse(); // 60 + 30 + 20 > 100 waiting
    assertThat(sink.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  @DisplayName("A failed send closes the connection and drops what was queued")
  void failedSend() {
    ScriptedSink sink = new ScriptedSink();
    sink.inline = false;
    Outbox outbox = new Outbox(sink, 10, Long.MAX_VALUE);
    outbox.offer("a");
    outbox.offer("b");
    sink.completeOne(new java.io.IOException("broken pipe"));
    assertThat(sink.closeCode).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(sink.sent).containsExactly("a");
    assertThat(outbox.offer("c")).isFalse();
  }

  @Test
  @DisplayName("Concurrent producers lose no frame and keep each producer's order")
  void concurrentProducers() throws InterruptedException {
    ScriptedSink sink = new ScriptedSink();
    List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    FrameSink threadSafe = new FrameSink() {
      @Override
      public void send(String frame, Consumer<Throwable> onSent) {
        sent.add(frame);
        onSent.accept(null);
      }

      @Override
      public void ping(Consumer<Throwable> onSent) {
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
          outbox.offer(id + ":" + i);
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
}
