package dev.capws.websocket.internal.broker;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.XAddArgs;

import dev.capws.websocket.internal.targeting.Envelope;

/**
 * Puts this instance's committed envelopes into their services' streams, one at a time in commit order, on a thread
 * of its own, so that no request ever waits for Redis. While Redis is unreachable they wait in a bounded buffer and
 * this instance's own clients get them at once (without a position); past the buffer's bounds they are dropped with
 * one log line and counted.
 */
final class StreamPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);
  private static final long WAIT_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final int MAX_AWAITING = 100_000;

  /**
   * An envelope waiting for Redis, or in the stream and not yet read back; {@code local} once this instance's
   * clients have it.
   */
  private static final class Pending {
    final String id = UUID.randomUUID().toString();
    final Envelope envelope;
    final long at;
    boolean local;

    Pending(Envelope envelope, long at) {
      this.envelope = envelope;
      this.at = at;
    }
  }

  private final RedisLink link;
  private final StreamKeys keys;
  private final RedisSettings settings;
  private final FanOut fanOut;
  private final String origin;
  /**
   * This instance's envelopes that are in the stream but not yet read back, in the order they went in: if Redis goes
   * away now, this instance's clients get them locally first, before what waits in the buffer.
   */
  private final Map<String, Pending> awaitingReadBack = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
      return size() > MAX_AWAITING; // only an append that Redis took twice is never read back: bounded all the same
    }
  };
  private final Clock clock = Clock.systemUTC();
  private final Deque<Pending> buffer = new ArrayDeque<>();
  /** Held while envelopes go to this instance's clients past Redis, so that they go in order. */
  private final Object localOrder = new Object();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  /** Until the reader has found where the streams stand, envelopes wait as if Redis were away. */
  private final BooleanSupplier readerReady;
  private volatile boolean closed;
  private boolean droppingLogged;

  StreamPublisher(RedisLink link, StreamKeys keys, RedisSettings settings, FanOut fanOut, String origin,
      BooleanSupplier readerReady) {
    this.readerReady = readerReady;
    this.link = link;
    this.keys = keys;
    this.settings = settings;
    this.fanOut = fanOut;
    this.origin = origin;
    this.thread = new Thread(this::run, "ws-redis-publish");
    thread.setDaemon(true);
    thread.start();
  }

  void publish(Envelope envelope) {
    publishAll(List.of(envelope));
  }

  /**
   * Buffers a change set's envelopes together (no other change set's come between them). Those beyond the buffer's
   * bound are dropped for Redis only: this instance's clients still get them, after what waits before them, handed to
   * the fan-out together (one wait for room, not one per event).
   */
  void publishAll(List<Envelope> envelopes) {
    List<Envelope> beyond = new ArrayList<>(0);
    synchronized (buffer) {
      if (closed) {
        envelopes.forEach(e -> LOG.warn("Dropped event '{}': the WebSocket broker is shut down", e.event()));
        return;
      }
      for (Envelope envelope : envelopes) {
        if (buffer.size() < settings.bufferSize()) {
          buffer.addLast(new Pending(envelope, clock.millis()));
        } else {
          beyond.add(envelope);
        }
      }
      buffer.notifyAll();
      if (!beyond.isEmpty()) {
        dropped.addAndGet(beyond.size());
        if (!droppingLogged) {
          droppingLogged = true;
          LOG.error("Redis has not taken the last {} events: dropping events beyond them for the other instances "
              + "until it does (see cds.websocket.redis.buffer-size)", settings.bufferSize());
        }
      }
    }
    if (!beyond.isEmpty()) {
      synchronized (localOrder) {
        deliverLocally();
        fanOut.submit(beyond.stream().<Supplier<Delivery>>map(e -> () -> new Delivery(e, null)).toList());
      }
    }
  }

  /** Adds an envelope to its stream now, on the caller's thread; throws if Redis does not take it. */
  void add(Envelope envelope, String id) {
    link.run(redis -> redis.xadd(keys.stream(envelope.serviceName()),
        XAddArgs.Builder.maxlen(settings.streamLength()).approximateTrimming(),
        Map.of("id", id, "origin", origin, "envelope", EnvelopeCodec.write(envelope))));
  }

  private void run() {
    long backoff = 50;
    while (true) {
      Pending next = nextPending();
      if (next == null) {
        return;
      }
      if (clock.millis() - next.at > settings.bufferAgeMillis()) {
        remove(next);
        dropped.incrementAndGet();
        LOG.error("Dropped event '{}' of {}: Redis was unreachable for longer than {} ms", next.envelope.event(),
            next.envelope.serviceName(), settings.bufferAgeMillis());
        continue;
      }
      try {
        if (!readerReady.getAsBoolean()) {
          throw new IllegalStateException("the stream reader is not ready yet");
        }
        // Noted before it goes in: the reader may read it back at once. It stays noted if the append seems to fail:
        // Redis may have applied it before it went away (then it is read back later, and delivered once).
        synchronized (localOrder) {
          awaitingReadBack.put(next.id, next);
        }
        add(next.envelope, next.id);
        remove(next);
        backoff = 50;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        deliverLocally(); // our own clients do not wait for Redis
        awaitRetry(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  /** The oldest waiting envelope, waiting for one; null once closed and nothing is left to try. */
  private Pending nextPending() {
    synchronized (buffer) {
      while (buffer.isEmpty()) {
        if (closed) {
          return null;
        }
        try {
          buffer.wait(WAIT_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return buffer.peekFirst();
    }
  }

  private void remove(Pending pending) {
    synchronized (buffer) {
      buffer.remove(pending);
      if (buffer.isEmpty()) {
        droppingLogged = false;
      }
    }
  }

  /**
   * Hands this instance's clients, in order, what they have not had yet: first what is in the stream but not read
   * back, then what waits for Redis.
   */
  private void deliverLocally() {
    synchronized (localOrder) {
      Set<Pending> fresh = new LinkedHashSet<>(); // one may be in both for a moment
      awaitingReadBack.values().stream().filter(pending -> !pending.local).forEach(fresh::add);
      synchronized (buffer) {
        buffer.stream().filter(pending -> !pending.local).forEach(fresh::add);
      }
      for (Pending pending : fresh) {
        pending.local = true;
        fanOut.submit(() -> new Delivery(pending.envelope, null));
      }
    }
  }

  /**
   * One of this instance's own envelopes was read back from the stream: {@code deliver} runs unless this instance's
   * clients had it already (delivered locally while Redis was away). In order with the local deliveries.
   */
  void readBack(String id, Runnable deliver) {
    synchronized (localOrder) {
      Pending pending = awaitingReadBack.remove(id);
      if (pending == null || !pending.local) {
        if (pending != null) {
          pending.local = true; // it may still wait in the buffer, if its append seemed to fail
        }
        deliver.run();
      }
    }
  }

  /**
   * Redis lost its data: what was in the stream and not yet read back will never be; this instance's clients get it
   * locally (the other instances do not).
   */
  void lostInRedis() {
    synchronized (localOrder) {
      deliverLocally();
      awaitingReadBack.clear();
    }
  }

  /** Waits before the next try; events published meanwhile still reach this instance's clients at once. */
  private void awaitRetry(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    while (!closed && System.nanoTime() < until) {
      synchronized (buffer) {
        try {
          buffer.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      deliverLocally();
    }
  }

  long dropped() {
    return dropped.get();
  }

  /** Tries what waits for a moment longer, then stops. */
  void close() {
    synchronized (buffer) {
      closed = true;
      buffer.notifyAll();
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
