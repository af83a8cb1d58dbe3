package dev.capws.websocket.internal.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;

/**
 * Delivers envelopes to the clients of this instance, whichever broker brought them. One fan-out thread does the
 * delivery, so the emitting request returns at once and every client sees events in the order they were
 * committed; it only enqueues into each client's outbox and never waits for a socket.
 *
 * <p>When events arrive faster than one fan-out pass takes, they wait here; the next pass takes all of them (up to
 * {@link #MAX_BATCH}) and hands each client its share in one go, which the transport writes with one system call.
 * Writing to a socket costs about the same for one frame as for ten, so under load the cost per frame drops instead
 * of the queue growing, and a quiet system still sends each event at once.
 *
 * <p>The queue is bounded ({@link FanOutBound}): once {@code fan-out-queue} events wait, or the oldest waiting event
 * has waited longer than {@code fan-out-delay}, an emitter waits (after its commit) until the fan-out takes its
 * events. Clients that cannot take events as fast as the application makes them thus slow the emitting requests, as
 * in the Node plugin, instead of growing memory and the delay of every event without end; and the wait an event
 * meets in the queue stays near {@code fan-out-delay} plus one pass, whether 100 or 15,000 clients get it. The events
 * are queued first and waited for after ({@link DeliveryQueue}): events leave in the order they were handed over, a
 * change set's events together, and an emitter waits once for all of them, for at most {@link #MAX_WAIT_MILLIS}.
 */
final class FanOut implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
  private static final int MAX_BATCH = 256;
  /** Passes to at least this many clients are split over two threads when nothing else waits (see handOver). */
  private static final int SPLIT_AT = 500;

  /**
   * How long an emitter waits for room at most, for all the events it hands over at once (a change set's); then it
   * goes on, and its events stay queued where they are (none is ever dropped).
   */
  static final long MAX_WAIT_MILLIS = 10_000;

  private final ConnectionRegistry registry;
  private final DeliveryQueue queue;
  private final Thread fanOut;
  /** The thread that takes the second half of a large pass; null on a single core. */
  private final ExecutorService secondLane;
  private final long maxWaitMillis;
  private volatile boolean closing;

  /** @param bound how far the fan-out may fall behind before emitters wait */
  FanOut(ConnectionRegistry registry, FanOutBound bound) {
    this(registry, bound, MAX_WAIT_MILLIS);
  }

  /** @param maxWaitMillis how long an emitter waits for room at most (tests shorten it) */
  FanOut(ConnectionRegistry registry, FanOutBound bound, long maxWaitMillis) {
    this.maxWaitMillis = maxWaitMillis;
    this.registry = registry;
    this.queue = new DeliveryQueue(bound);
    this.secondLane = Runtime.getRuntime().availableProcessors() < 2 ? null
        : Executors.newSingleThreadExecutor(task -> {
          Thread thread = new Thread(task, "ws-fan-out-2");
          thread.setDaemon(true);
          return thread;
        });
    this.fanOut = new Thread(this::run, "ws-fan-out");
    fanOut.setDaemon(true);
    fanOut.start();
  }

  /**
   * Queues a delivery, then waits for room if the fan-out is behind (see the class comment). The delivery is made
   * under the queue's lock: deliveries leave in the order they were made (their positions too).
   */
  void submit(Supplier<Delivery> make) {
    submit(List.of(make));
  }

  /** Queues deliveries together, in this order, then waits for room once for all of them. */
  void submit(List<Supplier<Delivery>> makes) {
    if (closing) {
      LOG.warn("Dropped {} events: the WebSocket broker is shut down", makes.size());
      return;
    }
    long number = queue.add(makes);
    // The fan-out thread never waits for itself: nothing else would make room.
    if (Thread.currentThread() == fanOut) {
      return;
    }
    try {
      if (!queue.awaitRoom(number, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis))) {
        LOG.warn("The WebSocket fan-out has been full for {} ms; going on, {} events stay queued", maxWaitMillis,
            makes.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the events are queued: only the wait is cut short
    }
  }

  private void run() {
    List<Delivery> batch = new ArrayList<>();
    while (true) {
      try {
        if (queue.take(batch, MAX_BATCH, 100) == 0) {
          if (closing) {
            return;
          }
          continue;
        }
        deliver(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) { // the fan-out must outlive any one failure
        LOG.warn("Delivering {} events failed", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
  }

  private void deliver(List<Delivery> batch) throws InterruptedException {
    long start = System.nanoTime();
    List<Connection> clients = new ArrayList<>();
    List<Object> shares = new ArrayList<>(); // per client: one frame, or the list of its frames in commit order
    if (batch.size() == 1) {
      Delivery delivery = batch.get(0);
      OutboundFrame frame = frame(delivery); // encoded once, shared by every recipient
      for (Connection connection : registry.recipients(delivery.envelope())) {
        clients.add(connection);
        shares.add(frame);
      }
    } else {
      // Several events waited: gather each client's frames, in commit order, and hand them over together.
      Map<Connection, List<OutboundFrame>> byClient = new HashMap<>();
      for (Delivery delivery : batch) {
        OutboundFrame frame = frame(delivery);
        for (Connection connection : registry.recipients(delivery.envelope())) {
          byClient.computeIfAbsent(connection, c -> new ArrayList<>(batch.size())).add(frame);
        }
      }
      byClient.forEach((connection, frames) -> {
        clients.add(connection);
        shares.add(frames);
      });
    }
    handOver(clients, shares);
    if (LOG.isDebugEnabled()) { // with the pass's time, to tell a slow event's wait from its own pass (benchmarks.md)
      LOG.debug("{} events went to {} clients in one pass of {} us", batch.size(), clients.size(),
          (System.nanoTime() - start) / 1000);
    }
  }

  private static OutboundFrame frame(Delivery delivery) {
    return OutboundFrame.event(delivery.frame(), delivery.position() == null ? null : delivery.position().toString());
  }

  /**
   * Hands each client its share. A large pass with nothing else waiting is split: a second thread takes half of the
   * clients, so that the last client of an event gets it sooner while a core is free. Under load (events wait) a pass
   * stays on this one thread: measured on 2 cores shared with the emitting requests, two threads then made
   * throughput and latency worse and erratic, and batching does more there (docs/benchmarks.md). The pass ends when
   * both halves are done, so the next pass cannot reach a client before this one did.
   */
  private void handOver(List<Connection> clients, List<Object> shares) throws InterruptedException {
    int count = clients.size();
    if (secondLane == null || count < SPLIT_AT || queue.hasWaiting()) {
      handOver(clients, shares, 0, count);
      return;
    }
    int half = count / 2;
    Future<?> second = secondLane.submit(() -> handOver(clients, shares, half, count));
    handOver(clients, shares, 0, half);
    try {
      second.get();
    } catch (ExecutionException e) {
      LOG.warn("Delivering to {} clients failed", count - half, e.getCause());
    }
  }

  @SuppressWarnings("unchecked")
  private static void handOver(List<Connection> clients, List<Object> shares, int from, int to) {
    for (int i = from; i < to; i++) {
      Connection connection = clients.get(i);
      try {
        if (shares.get(i) instanceof OutboundFrame frame) {
          connection.send(frame);
        } else {
          connection.send((List<OutboundFrame>) shares.get(i));
        }
      } catch (RuntimeException e) { // one client's failure must not cost the others the event
        LOG.warn("Delivering to {} failed", connection, e);
      }
    }
  }

  FanOutStats stats() {
    return queue.stats();
  }

  /** Delivers what was already submitted (waiting at most 5 s), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      fanOut.join(5_000);
      if (secondLane != null) {
        secondLane.shutdown();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
