package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.WsClient;

/**
 * A thread that emits numbered events ({@code base + 1}, {@code base + 2}, ...) one after the other, as a busy
 * application would, until stopped. It paces itself (at most one event per {@code pauseMicros}) and never runs more
 * than {@code window} events ahead of what the observing client reported: so a client that is away for a moment
 * never misses more than it can catch up on, however slow the machine.
 */
final class SteadyStream implements AutoCloseable {

  private final AtomicInteger emitted;
  private final AtomicInteger received;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  SteadyStream(int base, int window, long pauseMicros, IntConsumer emit) {
    this.emitted = new AtomicInteger(base);
    this.received = new AtomicInteger(base);
    this.thread = new Thread(() -> {
      try {
        while (!stop.get()) {
          if (emitted.get() - received.get() >= window) {
            LockSupport.parkNanos(100_000);
            continue;
          }
          emit.accept(emitted.get() + 1);
          emitted.incrementAndGet();
          LockSupport.parkNanos(pauseMicros * 1000);
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "steady-stream");
    thread.setDaemon(true);
    thread.start();
  }

  /** The highest n the client has now. */
  void received(int n) {
    received.set(n);
  }

  /** The last n emitted so far. */
  int emitted() {
    return emitted.get();
  }

  /** Why the emitting thread ended early, or null. */
  Throwable failure() {
    return failure.get();
  }

  /** Stops, waits for the thread, and returns the last n emitted; fails if an emit failed. */
  int stop() {
    stop.set(true);
    try {
      thread.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(thread.isAlive()).as("the emitting thread ended").isFalse();
    assertThat(failure.get()).as("an emit failed").isNull();
    return emitted.get();
  }

  @Override
  public void close() {
    stop.set(true);
  }

  /**
   * B3 at the seam: a client follows a steady stream of ticks (emitted from {@code base + 1} on) and, {@code cycles}
   * times, drops its connection (a normal close or an abort, in turn) and reconnects with the {@code seq} of the last
   * tick it got, on the instance {@code connect} chooses for the cycle (0 first, then 1, 2, ...). Asserts that
   * recovered plus live ticks are every n exactly once, in order, with increasing positions, and that the reconnects
   * did catch up on ticks emitted while the client was away.
   *
   * @param connect (cycle, since) to a new client; since is null for the first connection
   */
  static void followAcrossReconnects(int base, int cycles, IntConsumer emit,
      BiFunction<Integer, String, WsClient> connect) {
    List<Integer> got = new ArrayList<>();
    List<String> seqs = new ArrayList<>();
    List<String> reconnects = new ArrayList<>();
    int recoveredInAll = 0;
    WsClient client = connect.apply(0, null);
    try (SteadyStream stream = new SteadyStream(base, 300, 200, emit)) {
      for (int cycle = 1; cycle <= cycles; cycle++) {
        for (int i = 0; i < 40; i++) {
          record(Feed.nextTick(client), got, seqs, stream);
        }
        if (cycle % 2 == 0) {
          client.abort(); // the network vanished: what was on its way is lost
        } else {
          client.close(); // a normal close: frames sent before the server's close still arrive
        }
        for (int pending = client.pending().size(); pending > 0; pending--) {
          record(Feed.nextTick(client), got, seqs, stream);
        }
        client = connect.apply(cycle, seqs.get(seqs.size() - 1));
        int count = Feed.recovered(client);
        recoveredInAll += count;
        reconnects.add("cycle " + cycle + ": after " + got.get(got.size() - 1) + " (" + seqs.get(seqs.size() - 1)
            + "), recovered " + count + ", emitted by then " + stream.emitted());
        for (int i = 0; i < count; i++) {
          record(Feed.nextTick(client), got, seqs, stream);
        }
      }
      int last = stream.stop();
      while (got.get(got.size() - 1) < last) {
        record(Feed.nextTick(client), got, seqs, stream);
      }
      assertThat(got).as(() -> describe(got, seqs, base, last, reconnects))
          .isEqualTo(IntStream.rangeClosed(base + 1, last).boxed().toList());
    } finally {
      client.close();
    }
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(Feed.compare(seqs.get(i - 1), seqs.get(i))).as("seq %s after %s", seqs.get(i), seqs.get(i - 1))
          .isNegative();
    }
    // The reconnects did miss ticks (emitted while the client was away) and got them back.
    assertThat(recoveredInAll).isPositive();
  }

  /** Where the received ticks differ from base + 1 .. last: gaps, duplicates, and what else is worth knowing. */
  static String describe(List<Integer> got, List<String> seqs, int base, int last, List<String> reconnects) {
    StringBuilder text = new StringBuilder("ticks " + (base + 1) + ".." + last + ", got " + got.size() + ":");
    int expected = base + 1;
    for (int i = 0; i < got.size(); i++) {
      int n = got.get(i);
      if (n != expected) {
        text.append("\n  at #").append(i).append(" got ").append(n).append(" (").append(seqs.get(i))
            .append(") instead of ").append(expected);
      }
      expected = n + 1;
    }
    reconnects.forEach(line -> text.append("\n  ").append(line));
    return text.toString();
  }

  private static void record(JsonNode tick, List<Integer> got, List<String> seqs, SteadyStream stream) {
    got.add(Feed.n(tick));
    seqs.add(Feed.seq(tick));
    stream.received(Feed.n(tick));
  }
}
