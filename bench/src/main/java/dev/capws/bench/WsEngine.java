package dev.capws.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many WebSocket clients on one or two selector threads: a minimal RFC 6455 client on raw java.nio (HTTP/1.1 upgrade
 * with Sec-WebSocket-Key ({@link Upgrade}), unmasked server frames with 7/16/64-bit lengths and fragmentation
 * ({@link ServerFrames}), masked client frames, pong for ping, close handshake). Every connection belongs to one
 * {@link Loop} and all its I/O happens on that loop's thread, so per-connection state needs no locks; messages go to
 * a {@link Handler} on that thread.
 */
final class WsEngine {

  /** Pause after a select round only if it found fewer ready connections than this. */
  static final int BATCH_BELOW = 64;

  /** What a scenario does with connections and messages; called on the connection's loop thread. */
  interface Handler {
    /**
     * The server accepted the upgrade. Plain WebSocket needs nothing more, so the connection is established at once;
     * a protocol with a handshake of its own ({@link SocketIoSession}) calls {@link Loop#established} when it is done.
     */
    default void upgraded(Loop loop, Conn conn, long now) {
      loop.established(conn, now);
    }

    /** The connection counts as opened: the scenario may use it. */
    default void opened(Loop loop, Conn conn, long now) {
    }

    /**
     * One complete text or binary message, unmasked, in bytes[offset, offset + length); from the upgrade on, so also
     * during a protocol's own handshake (conn.isOpen() tells).
     */
    void message(Loop loop, Conn conn, byte[] bytes, int offset, int length, long now);
  }

  final URI uri;
  final InetSocketAddress address;
  final Handler handler;
  final Upgrade upgrade;
  final Loop[] loops;
  final Semaphore handshakes = new Semaphore(0);
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  /** Connections the server closed (close frame or EOF) while we did not ask for it. */
  final AtomicInteger closedByServer = new AtomicInteger();
  final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicInteger problemCount = new AtomicInteger();
  final long handshakeTimeoutNanos;
  /** Pause after a select round that found fewer than BATCH_BELOW ready connections; 0: none. */
  volatile long batchNanos;
  private Conn[] conns = new Conn[0];

  WsEngine(URI uri, int threads, Handler handler, long handshakeTimeoutMillis) throws IOException {
    this.uri = uri;
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    this.address = new InetSocketAddress(uri.getHost(), port);
    this.handler = handler;
    this.handshakeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMillis);
    this.upgrade = new Upgrade(uri, port);
    this.loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop(this, i);
    }
  }

  void start() {
    for (Loop loop : loops) {
      loop.start();
    }
  }

  Conn[] conns() {
    return conns;
  }

  /**
   * Opens n connections with at most window handshakes (TCP connect + upgrade) in flight, and waits for all of them
   * to be open or failed.
   */
  void connect(int n, int window) throws InterruptedException {
    Conn[] all = new Conn[n];
    handshakes.release(window);
    for (int i = 0; i < n; i++) {
      handshakes.acquire();
      Loop loop = loops[i % loops.length];
      Conn conn = new Conn(i, loop);
      all[i] = conn;
      loop.submit(() -> loop.open(conn));
    }
    handshakes.acquire(window); // every handshake finished, one way or the other
    conns = all;
  }

  int openCount() {
    int open = 0;
    for (Loop loop : loops) {
      open += loop.openNow;
    }
    return open;
  }

  /** Sends a close frame on every open connection, waits for the server to close them, then stops the loops. */
  void shutdown(long timeoutMillis) throws InterruptedException {
    for (Loop loop : loops) {
      loop.submit(loop::closeAll);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline && liveCount() > 0) {
      Thread.sleep(10);
    }
    for (Loop loop : loops) {
      loop.running = false;
      loop.selector.wakeup();
    }
    for (Loop loop : loops) {
      loop.join(5000);
    }
  }

  private int liveCount() {
    int live = 0;
    for (Loop loop : loops) {
      live += loop.liveNow;
    }
    return live;
  }

  /** Keeps the first ten problems for the report; the rest are only counted. */
  void problem(String text) {
    if (problemCount.incrementAndGet() <= 10) {
      problems.add(text);
    }
  }
}
