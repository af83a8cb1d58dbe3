package dev.capws.websocket.internal.connection;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application code that follows a connection's close (the service's {@code wsDisconnect}, a route's
 * {@code closed}, {@code onDisconnect} callbacks) on threads of its own. The thread that notices a close serves
 * every client: the fan-out (a write to a dead socket fails), the heartbeat, the close timer, a container thread. A
 * hook that takes 100 ms there would hold up every other client's events, pings or closes by 100 ms for each
 * connection that closes. The messages a client sent while it did not read run here too, once it reads again
 * ({@link HeldMessages}): the thread that finds its socket writable may be the fan-out.
 *
 * <p>The hooks of one connection run one after the other, in the order they were handed over ({@code wsDisconnect}
 * before the callbacks); those of different connections side by side, on at most {@value #THREADS} threads, which
 * end when idle. What waits meanwhile is a task per closed connection whose hooks have not run yet.
 */
public final class ClosingHooks {

  /** Enough for hooks that wait for a database or a remote call; few enough not to crowd 2 cores. */
  static final int THREADS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(ClosingHooks.class);

  private final ThreadPoolExecutor pool;
  /** Hooks handed over while an earlier one of the same connection runs; an entry only while one runs. */
  private final Map<Connection, ArrayDeque<Runnable>> queued = new HashMap<>();

  public ClosingHooks() {
    AtomicInteger threads = new AtomicInteger();
    pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, "ws-hooks-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs the hook after those handed over before for the same connection. */
  void run(Connection connection, Runnable hook) {
    synchronized (queued) {
      ArrayDeque<Runnable> waiting = queued.get(connection);
      if (waiting != null) {
        waiting.add(hook); // the task running this connection's hooks takes it up
        return;
      }
      queued.put(connection, new ArrayDeque<>());
    }
    try {
      pool.execute(() -> runInOrder(connection, hook));
    } catch (RejectedExecutionException e) { // stopped: the runtime shuts down, no delivery is left to protect
      runInOrder(connection, hook);
    }
  }

  private void runInOrder(Connection connection, Runnable first) {
    Runnable next = first;
    while (next != null) {
      try {
        next.run();
      } catch (RuntimeException e) { // one hook must not keep the others from running
        LOG.warn("A hook after the close of {} failed", connection, e);
      }
      synchronized (queued) {
        next = queued.get(connection).poll();
        if (next == null) {
          queued.remove(connection);
        }
      }
    }
  }

  /** Lets the hooks handed over so far run (waiting at most this long for them), then stops. */
  public void close(long timeoutMillis) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        LOG.warn("WebSocket disconnect hooks still running after {} ms", timeoutMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
