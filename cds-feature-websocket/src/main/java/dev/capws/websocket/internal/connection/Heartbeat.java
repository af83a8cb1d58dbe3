package dev.capws.websocket.internal.connection;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.CloseCodes;

/**
 * Pings every open connection at a fixed interval. A connection that has neither answered the previous ping nor sent
 * anything since is taken for dead (a peer that vanished without closing, a half-open TCP connection) and closed,
 * which frees its session, index entries and buffers. So is a client that has not read what was written to it for
 * longer than {@code cds.websocket.send-timeout}. A connection whose token has expired is closed with 1008.
 *
 * <p>Without pings ({@code heartbeat-interval: 0}) the other two checks still run, at the send timeout's pace (at
 * most every {@link #MAX_CHECK_MILLIS}): switching pings off must not keep stalled clients and expired tokens.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  /** How often the checks run when there are no pings: as with the default heartbeat. */
  static final long MAX_CHECK_MILLIS = 30_000;

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
    timer.scheduleWithFixedDelay(() -> beat(open, limits.sendTimeoutMillis(), pings), period, period,
        TimeUnit.MILLISECONDS);
  }

  private static void beat(OpenConnections open, long sendTimeoutMillis, boolean pings) {
    Instant now = Instant.now();
    long nowNanos = System.nanoTime();
    for (Connection connection : open.all()) {
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
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
