package dev.capws.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many WebSocket clients on one or two selector threads: a minimal RFC 6455 client on raw java.nio (HTTP/1.1 upgrade
 * with Sec-WebSocket-Key, unmasked server frames with 7/16/64-bit lengths and fragmentation, masked client frames,
 * pong for ping, close handshake). Every connection belongs to one {@link Loop} and all its I/O happens on that loop's
 * thread, so per-connection state needs no locks; messages go to a {@link Handler} on that thread.
 */
final class WsEngine {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;
  private static final int MAX_MESSAGE = 64 << 20;
  private static final int INITIAL_BUFFER = 2048;
  private static final int MAX_READ_BUFFER = 256 << 10;

  /** What a scenario does with connections and messages; called on the connection's loop thread. */
  interface Handler {
    default void opened(Loop loop, Conn conn, long now) {
    }

    /** One complete text or binary message, unmasked, in bytes[offset, offset + length). */
    void message(Loop loop, Conn conn, byte[] bytes, int offset, int length, long now);
  }

  /** One client connection. Touched only by its loop's thread once it is submitted. */
  static final class Conn {
    static final int NEW = 0;
    static final int CONNECTING = 1;
    static final int HANDSHAKE = 2;
    static final int OPEN = 3;
    static final int CLOSING = 4;
    static final int CLOSED = 5;

    final int index;
    final Loop loop;
    int state = NEW;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
    ByteBuffer out;
    long startedNanos;
    String expectedAccept;
    byte[] fragments;
    int fragmentsLength;
    boolean closeSent;
    /** Free for the scenario: the fan-out's bitset of received events, the calls' pipeline. */
    Object attachment;
    long[] sentAt;
    long[] slotIds;

    Conn(int index, Loop loop) {
      this.index = index;
      this.loop = loop;
    }

    boolean isOpen() {
      return state == OPEN;
    }
  }

  final URI uri;
  final InetSocketAddress address;
  final Handler handler;
  final Loop[] loops;
  final Semaphore handshakes = new Semaphore(0);
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  /** Connections the server closed (close frame or EOF) while we did not ask for it. */
  final AtomicInteger closedByServer = new AtomicInteger();
  final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicInteger problemCount = new AtomicInteger();
  private final byte[] requestHead;
  private final long handshakeTimeoutNanos;
  /** Pause after a select round that found fewer than BATCH_BELOW ready connections; 0: none. */
  volatile long batchNanos;
  private static final int BATCH_BELOW = 64;
  private Conn[] conns = new Conn[0];

  WsEngine(URI uri, int threads, Handler handler, long handshakeTimeoutMillis) throws IOException {
    this.uri = uri;
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    this.address = new InetSocketAddress(uri.getHost(), port);
    this.handler = handler;
    this.handshakeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMillis);
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.requestHead = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
        .getBytes(StandardCharsets.ISO_8859_1);
    this.loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop(i);
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

  void problem(String text) {
    if (problemCount.incrementAndGet() <= 10) {
      problems.add(text);
    }
  }

  /** One selector thread and its connections. */
  final class Loop extends Thread {
    final int id;
    final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Conn> mine = new ArrayList<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(64 << 10);
    volatile boolean running = true;
    volatile int openNow;
    volatile int liveNow;
    private int open;
    private int live;
    private long lastTimeoutScan;
    /**
     * Scenario state owned by this thread (see Bench); if it is a Runnable it runs after every select round, to
     * publish counters to other threads with one volatile write per round instead of one per frame.
     */
    Object state;

    Loop(int id) throws IOException {
      super("ws-loop-" + id);
      this.id = id;
      this.selector = Selector.open();
      setDaemon(true);
    }

    void submit(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    @Override
    public void run() {
      try {
        while (running) {
          int ready = selector.select(this::ready, 50);
          if (batchNanos > 0 && ready > 0 && ready < BATCH_BELOW) {
            // Few connections were ready: let frames pile up a little, so one select serves many of them.
            java.util.concurrent.locks.LockSupport.parkNanos(batchNanos);
          }
          Runnable task;
          while ((task = tasks.poll()) != null) {
            task.run();
          }
          long now = System.nanoTime();
          if (now - lastTimeoutScan > 200_000_000L) {
            lastTimeoutScan = now;
            scanTimeouts(now);
          }
          openNow = open;
          liveNow = live;
          if (state instanceof Runnable afterRound) {
            afterRound.run();
          }
        }
      } catch (Throwable t) {
        problem("loop " + id + " died: " + t);
        t.printStackTrace();
      } finally {
        for (Conn conn : mine) {
          closeChannel(conn);
        }
        openNow = 0;
        liveNow = 0;
        try {
          selector.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }

    private void scanTimeouts(long now) {
      for (Conn conn : mine) {
        if ((conn.state == Conn.CONNECTING || conn.state == Conn.HANDSHAKE)
            && now - conn.startedNanos > handshakeTimeoutNanos) {
          fail(conn, "handshake timed out after " + handshakeTimeoutNanos / 1_000_000 + " ms");
        }
      }
    }

    void open(Conn conn) {
      mine.add(conn);
      live++;
      conn.startedNanos = System.nanoTime();
      conn.state = Conn.CONNECTING;
      try {
        SocketChannel channel = SocketChannel.open();
        conn.channel = channel;
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(address)) {
          conn.key = channel.register(selector, 0, conn);
          connected(conn);
        } else {
          conn.key = channel.register(selector, SelectionKey.OP_CONNECT, conn);
        }
      } catch (IOException e) {
        fail(conn, "connect: " + e);
      }
    }

    private void ready(SelectionKey key) {
      Conn conn = (Conn) key.attachment();
      try {
        if (!key.isValid()) {
          return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
          if (conn.channel.finishConnect()) {
            connected(conn);
          }
          return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
          flush(conn);
        }
        if ((ready & SelectionKey.OP_READ) != 0 && conn.state < Conn.CLOSED) {
          read(conn);
        }
      } catch (IOException | RuntimeException e) {
        if (conn.state == Conn.CLOSING) {
          finish(conn);
        } else {
          fail(conn, e.toString());
        }
      }
    }

    private void connected(Conn conn) throws IOException {
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      String key = Base64.getEncoder().encodeToString(nonce);
      conn.expectedAccept = accept(key);
      byte[] tail = (key + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      ByteBuffer request = ByteBuffer.allocate(requestHead.length + tail.length);
      request.put(requestHead).put(tail).flip();
      conn.state = Conn.HANDSHAKE;
      conn.key.interestOps(SelectionKey.OP_READ);
      write(conn, request);
    }

    private void read(Conn conn) throws IOException {
      while (true) {
        ByteBuffer in = conn.in;
        int n = conn.channel.read(in);
        if (n < 0) {
          eof(conn);
          return;
        }
        if (n == 0) {
          return;
        }
        long now = System.nanoTime();
        boolean full = !in.hasRemaining();
        in.flip();
        if (conn.state == Conn.HANDSHAKE && !handshake(conn, now)) {
          if (conn.state == Conn.HANDSHAKE) {
            in.compact();
          }
          return;
        }
        frames(conn, now);
        if (conn.state >= Conn.CLOSED) {
          return;
        }
        if (full && conn.in.capacity() < MAX_READ_BUFFER && conn.in.position() == 0) {
          // a burst filled the buffer but everything was consumed: read more per call from now on
          conn.in = ByteBuffer.allocate(conn.in.capacity() * 2);
        }
        if (!full) {
          return; // the socket is drained; no extra read() that would return 0
        }
      }
    }

    /** Parses the 101 response; true when the connection is open and the buffer holds what follows the headers. */
    private boolean handshake(Conn conn, long now) {
      ByteBuffer in = conn.in;
      byte[] a = in.array();
      int start = in.arrayOffset() + in.position();
      int end = indexOf(a, start, in.arrayOffset() + in.limit(), HEADER_END);
      if (end < 0) {
        if (in.limit() == in.capacity()) {
          fail(conn, "upgrade response headers too long");
        }
        return false;
      }
      String head = new String(a, start, end - start, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      if (!lines[0].startsWith("HTTP/1.1 101")) {
        fail(conn, "upgrade refused: " + lines[0]);
        return false;
      }
      String accept = null;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
          accept = lines[i].substring(colon + 1).trim();
        }
      }
      if (!conn.expectedAccept.equals(accept)) {
        fail(conn, "wrong Sec-WebSocket-Accept: " + accept);
        return false;
      }
      in.position(end + 4 - in.arrayOffset());
      conn.state = Conn.OPEN;
      conn.expectedAccept = null;
      open++;
      opened.incrementAndGet();
      handshakes.release();
      handler.opened(this, conn, now);
      return true;
    }

    /** Handles every complete frame in conn.in (flipped), then compacts it (growing it for a large frame). */
    private void frames(Conn conn, long now) throws IOException {
      ByteBuffer in = conn.in;
      byte[] a = in.array();
      int needed = 0;
      while (conn.state < Conn.CLOSED) {
        int p = in.arrayOffset() + in.position();
        int available = in.remaining();
        if (available < 2) {
          break;
        }
        int b0 = a[p] & 0xff;
        int b1 = a[p + 1] & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7f;
        int header = 2;
        if (length == 126) {
          if (available < 4) {
            break;
          }
          length = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
          header = 4;
        } else if (length == 127) {
          if (available < 10) {
            break;
          }
          length = 0;
          for (int i = 2; i < 10; i++) {
            length = (length << 8) | (a[p + i] & 0xff);
          }
          header = 10;
        }
        if (masked) {
          header += 4;
        }
        if (length < 0 || length > MAX_MESSAGE) {
          fail(conn, "frame too large: " + length);
          return;
        }
        if (available < header + length) {
          needed = (int) (header + length);
          break;
        }
        int offset = p + header;
        int len = (int) length;
        if (masked) { // servers must not mask, but tolerate it
          int mask = p + header - 4;
          for (int i = 0; i < len; i++) {
            a[offset + i] ^= a[mask + (i & 3)];
          }
        }
        in.position(in.position() + header + len);
        frame(conn, fin, opcode, a, offset, len, now);
      }
      if (conn.state >= Conn.CLOSED) {
        return;
      }
      in.compact();
      if (needed > in.capacity()) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
        in.flip();
        bigger.put(in);
        conn.in = bigger;
      }
    }

    private void frame(Conn conn, boolean fin, int opcode, byte[] a, int offset, int length, long now)
        throws IOException {
      switch (opcode) {
        case OP_TEXT, OP_BINARY -> {
          if (conn.fragments != null) {
            fail(conn, "new message inside a fragmented one");
          } else if (fin) {
            if (conn.state == Conn.OPEN) {
              handler.message(this, conn, a, offset, length, now);
            }
          } else {
            conn.fragments = new byte[Math.max(256, length * 2)];
            System.arraycopy(a, offset, conn.fragments, 0, length);
            conn.fragmentsLength = length;
          }
        }
        case OP_CONTINUATION -> {
          if (conn.fragments == null) {
            fail(conn, "continuation without a started message");
            return;
          }
          int total = conn.fragmentsLength + length;
          if (total > MAX_MESSAGE) {
            fail(conn, "fragmented message too large");
            return;
          }
          if (total > conn.fragments.length) {
            conn.fragments = java.util.Arrays.copyOf(conn.fragments, Math.max(total, conn.fragments.length * 2));
          }
          System.arraycopy(a, offset, conn.fragments, conn.fragmentsLength, length);
          conn.fragmentsLength = total;
          if (fin) {
            byte[] message = conn.fragments;
            conn.fragments = null;
            conn.fragmentsLength = 0;
            if (conn.state == Conn.OPEN) {
              handler.message(this, conn, message, 0, total, now);
            }
          }
        }
        case OP_PING -> send(conn, OP_PONG, a, offset, length);
        case OP_PONG -> { }
        case OP_CLOSE -> {
          if (conn.state == Conn.OPEN) {
            int code = length >= 2 ? ((a[offset] & 0xff) << 8) | (a[offset + 1] & 0xff) : 1005;
            String reason = length > 2 ? new String(a, offset + 2, length - 2, StandardCharsets.UTF_8) : "";
            closedByServer.incrementAndGet();
            problem("server closed a connection: " + code + " " + reason);
            open--;
          }
          if (!conn.closeSent) {
            conn.closeSent = true;
            send(conn, OP_CLOSE, a, offset, Math.min(length, 2)); // echo the code
          }
          conn.state = Conn.CLOSING; // the server closes the TCP connection next
        }
        default -> fail(conn, "unknown opcode " + opcode);
      }
    }

    private void eof(Conn conn) {
      if (conn.state == Conn.OPEN) {
        closedByServer.incrementAndGet();
        problem("server closed a connection without a close frame");
        open--;
        conn.state = Conn.CLOSING;
      }
      if (conn.state == Conn.CLOSING) {
        finish(conn);
      } else {
        fail(conn, "connection closed by the server during the handshake");
      }
    }

    /** Sends one masked frame with the payload bytes[offset, offset + length). */
    void send(Conn conn, int opcode, byte[] bytes, int offset, int length) throws IOException {
      if (conn.state >= Conn.CLOSED || (conn.closeSent && opcode != OP_CLOSE)) {
        return;
      }
      int header = length < 126 ? 6 : length < 65536 ? 8 : 14;
      ByteBuffer frame = header + length <= scratch.capacity() ? scratch.clear()
          : ByteBuffer.allocate(header + length);
      byte[] f = frame.array();
      f[0] = (byte) (0x80 | opcode);
      if (length < 126) {
        f[1] = (byte) (0x80 | length);
      } else if (length < 65536) {
        f[1] = (byte) (0x80 | 126);
        f[2] = (byte) (length >>> 8);
        f[3] = (byte) length;
      } else {
        f[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
          f[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
        }
      }
      int mask = ThreadLocalRandom.current().nextInt();
      int m = header - 4;
      f[m] = (byte) (mask >>> 24);
      f[m + 1] = (byte) (mask >>> 16);
      f[m + 2] = (byte) (mask >>> 8);
      f[m + 3] = (byte) mask;
      for (int i = 0; i < length; i++) {
        f[header + i] = (byte) (bytes[offset + i] ^ f[m + (i & 3)]);
      }
      frame.limit(header + length);
      write(conn, frame);
    }

    /** Writes now; what the socket does not take waits in conn.out (copied) until OP_WRITE. */
    private void write(Conn conn, ByteBuffer data) throws IOException {
      if (conn.out != null) {
        ByteBuffer joined = ByteBuffer.allocate(conn.out.remaining() + data.remaining());
        joined.put(conn.out).put(data).flip();
        conn.out = joined;
        return;
      }
      conn.channel.write(data);
      if (data.hasRemaining()) {
        ByteBuffer rest = ByteBuffer.allocate(data.remaining());
        rest.put(data).flip();
        conn.out = rest;
        conn.key.interestOps(conn.key.interestOps() | SelectionKey.OP_WRITE);
      }
    }

    private void flush(Conn conn) throws IOException {
      if (conn.out != null) {
        conn.channel.write(conn.out);
        if (conn.out.hasRemaining()) {
          return;
        }
        conn.out = null;
      }
      conn.key.interestOps(conn.key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    /** Starts the close handshake on every connection of this loop. */
    void closeAll() {
      byte[] normal = {0x03, (byte) 0xe8}; // 1000
      for (Conn conn : mine) {
        try {
          if (conn.state == Conn.OPEN) {
            open--;
            conn.closeSent = true;
            conn.state = Conn.CLOSING;
            send(conn, OP_CLOSE, normal, 0, 2);
          } else if (conn.state < Conn.OPEN) {
            fail(conn, "closed before the handshake ended");
          }
        } catch (IOException e) {
          finish(conn);
        }
      }
      openNow = open;
    }

    private void fail(Conn conn, String reason) {
      if (conn.state >= Conn.CLOSED) {
        return;
      }
      boolean handshaking = conn.state < Conn.OPEN;
      if (conn.state == Conn.OPEN) {
        open--;
        closedByServer.incrementAndGet();
      }
      problem(reason);
      finish(conn);
      if (handshaking) {
        failed.incrementAndGet();
        handshakes.release();
      }
    }

    private void finish(Conn conn) {
      if (conn.state < Conn.CLOSED) {
        conn.state = Conn.CLOSED;
        live--;
        closeChannel(conn);
        conn.in = null;
        conn.out = null;
        conn.fragments = null;
      }
    }

    private void closeChannel(Conn conn) {
      if (conn.channel != null) {
        try {
          conn.channel.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int indexOf(byte[] a, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
