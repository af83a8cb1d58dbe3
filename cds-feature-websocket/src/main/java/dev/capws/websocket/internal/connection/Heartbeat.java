package dev.capws.websocket.internal.connection;

import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.CloseCodes;

/**
 * Pings every open connection at a fixed interval. A connection that has neither answered the previous ping nor sent
 * anything since is taken for dead (a peer that vanished without closing, a half-open TCP connection) and closed,
 * which frees its session, index entries and buffers. So is a client that has not read what was written to it for
 * longer than {@code cds.websocket.send-timeout}. A connection whose token has expired is closed with 1008.
 *
 * <p>A round (one interval) is cut into slices of {@link #TICK_MILLIS} (at most {@link OpenConnections#BUCKETS}), and
 * each connection is checked in the slice its id falls into, so every connection is still checked once per
 * interval, but the pings and their answers are spread over it. Pinging 5000 connections at once kept both cores
 * busy for 100-190 ms (the pings' writes, then the container dispatching 5000 answers); an event fanned out
 * meanwhile reached its last client that much later: those were the slowest events of a paced run
 * (docs/benchmarks.md).
 *
 * <p>Without pings ({@code heartbeat-interval: 0}) the other two checks still run, at the send timeout's pace (at
 * most every {@link #MAX_CHECK_MILLIS}): switching pings off must not keep stalled clients and expired tokens.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  /** How often the checks run when there are no pings: as with the default heartbeat. */
  static final long MAX_CHECK_MILLIS = 30_000;
  /** The time between two slices of a round: 300 slices in the default 30 s. */
  static final long TICK_MILLIS = 100;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ws-heartbeat");
    thread.setDaemon(true);
    return thread;
  });

  public Heartbeat(OpenConnections open, Limits limits) {
    long interval = limits.heartbeatMillis();
    boolean pings = interval > 0;
    long sendTimeout = limits.sendTimeoutMillis();
    long period = pings ? interval : sendTimeout > 0 ? Math.min(sendTimeout, MAX_CHECK_MILLIS) : MAX_CHECK_MILLIS;
    int slices = slices(period);
    long tick = period / slices;
    AtomicLong ticks = new AtomicLong();
    timer.scheduleAtFixedRate(() -> {
      int slice = (int) (ticks.incrementAndGet() % slices);
      beat(open.slice(slice, slices), limits.sendTimeoutMillis(), pings);
    }, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Into how many slices a round of this many milliseconds is cut: one per tick, at least one, at most the buckets. */
  static int slices(long periodMillis) {
    return (int) Math.min(OpenConnections.BUCKETS, Math.max(1, periodMillis / TICK_MILLIS));
  }

  /** Checks the connections of one slice; returns how many it checked. */
  static int beat(Collection<Connection> due, long sendTimeoutMillis, boolean pings) {
    Instant now = Instant.now();
    long nowNanos = System.nanoTime();
    int checked = 0;
    for (Connection connection : due) {
      checked++;
      try {
        if (connection.isExpired(now)) {
          LOG.debug("The token of {} expired: closing it", connection);
          connection.close(CloseCodes.POLICY_VIOLATION, "Token expired");
        } else if (connection.stalledLongerThan(sendTimeoutMillis, nowNanos)) {
          LOG.debug("{} has not read for {} ms: closing it", connection, sendTimeoutMillis);
          connection.close(CloseCodes.GOING_AWAY, "Client stopped reading");
        } else if (pings && !connection.ping()) {
          LOG.debug("{} did not answer the last ping: closing it", connection);
          connection.close(CloseCodes.GOING_AWAY, "No answer to ping");
        }
      } catch (RuntimeException e) { // one connection must never stop the heartbeat of the others
        LOG.warn("Heartbeat of {} failed", connection, e);
      }
    }
    if (checked > 0) {
      LOG.trace("Heartbeat: {} connections checked in {} us", checked, (System.nanoTime() - nowNanos) / 1000);
    }
    return checked;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
