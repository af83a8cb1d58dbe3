package dev.capws.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.capws.websocket.test.ClientFrames;

/** One selector thread and its connections: all their I/O happens here, so their state needs no locks. */
final class Loop extends Thread {

  private static final int MAX_READ_BUFFER = 256 << 10;

  final int id;
  final Selector selector;
  private final WsEngine engine;
  private final ServerFrames frames;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Conn> mine = new ArrayList<>();
  /** The one buffer every outgoing frame is encoded into: no allocation per frame. */
  private final ByteBuffer scratch = ByteBuffer.allocate(64 << 10);
  volatile boolean running = true;
  volatile int openNow;
  volatile int liveNow;
  private int open;
  private int live;
  private long lastTimeoutScan;
  /**
   * Scenario state owned by this thread; a Runnable one runs after every select round, to publish counters to other
   * threads with one volatile write per round instead of one per frame.
   */
  Object state;

  Loop(WsEngine engine, int id) throws IOException {
    super("ws-loop-" + id);
    this.engine = engine;
    this.id = id;
    this.selector = Selector.open();
    this.frames = new ServerFrames(this, engine.handler);
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
        long batchNanos = engine.batchNanos;
        if (batchNanos > 0 && ready > 0 && ready < WsEngine.BATCH_BELOW) {
          // Few connections were ready: let frames pile up a little, so one select serves many of them.
          LockSupport.parkNanos(batchNanos);
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
      engine.problem("loop " + id + " died: " + t);
      t.printStackTrace();
    } finally {
      for (Conn conn : mine) {
        conn.closeChannel();
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
      if (conn.state > Conn.NEW && conn.state < Conn.OPEN && now - conn.startedNanos > engine.handshakeTimeoutNanos) {
        fail(conn, "handshake timed out after " + engine.handshakeTimeoutNanos / 1_000_000 + " ms");
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
      if (channel.connect(engine.address)) {
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
        conn.flush();
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
    ByteBuffer request = engine.upgrade.request(conn);
    conn.state = Conn.HANDSHAKE;
    conn.key.interestOps(SelectionKey.OP_READ);
    conn.write(request);
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
      frames.read(conn, now);
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

  /**
   * Checks the 101 response; true when the WebSocket is open and the buffer holds what follows the headers. The
   * handler then finishes its protocol's handshake, if it has one, and calls {@link #established}.
   */
  private boolean handshake(Conn conn, long now) {
    ByteBuffer in = conn.in;
    int end = Upgrade.headersEnd(in);
    if (end < 0) {
      if (in.limit() == in.capacity()) {
        fail(conn, "upgrade response headers too long");
      }
      return false;
    }
    String refusal = Upgrade.refusal(conn, in.array(), in.arrayOffset() + in.position(), end);
    if (refusal != null) {
      fail(conn, refusal);
      return false;
    }
    in.position(end + 4 - in.arrayOffset());
    conn.state = Conn.UPGRADED;
    conn.expectedAccept = null;
    engine.handler.upgraded(this, conn, now);
    return conn.state < Conn.CLOSED;
  }

  /** The connection is ready for the scenario: it counts as opened, and its handshake's slot is free again. */
  void established(Conn conn, long now) {
    if (conn.state != Conn.UPGRADED) {
      return;
    }
    conn.state = Conn.OPEN;
    open++;
    engine.opened.incrementAndGet();
    engine.handshakes.release();
    engine.handler.opened(this, conn, now);
  }

  private void eof(Conn conn) {
    if (conn.state == Conn.OPEN) {
      closedByServer("server closed a connection without a close frame");
      conn.state = Conn.CLOSING;
    }
    if (conn.state == Conn.CLOSING) {
      finish(conn);
    } else {
      fail(conn, "connection closed by the server during the handshake");
    }
  }

  /** An open connection the server closed while we did not ask for it. */
  void closedByServer(String problem) {
    engine.closedByServer.incrementAndGet();
    engine.problem(problem);
    open--;
  }

  /** Sends one masked frame with the payload bytes[offset, offset + length). */
  void send(Conn conn, int opcode, byte[] bytes, int offset, int length) throws IOException {
    if (conn.state >= Conn.CLOSED || (conn.closeSent && opcode != ClientFrames.CLOSE)) {
      return;
    }
    int size = ClientFrames.frameLength(length, true);
    ByteBuffer frame = size <= scratch.capacity() ? scratch.clear() : ByteBuffer.allocate(size);
    // ThreadLocalRandom, not ClientFrames.randomMask(): a SecureRandom per frame would cost more than the frame.
    ClientFrames.frameInto(frame, opcode, bytes, offset, length, ThreadLocalRandom.current().nextInt());
    conn.write(frame.flip());
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
          send(conn, ClientFrames.CLOSE, normal, 0, 2);
        } else if (conn.state < Conn.OPEN) {
          fail(conn, "closed before the handshake ended");
        }
      } catch (IOException e) {
        finish(conn);
      }
    }
    openNow = open;
  }

  void fail(Conn conn, String reason) {
    if (conn.state >= Conn.CLOSED) {
      return;
    }
    boolean handshaking = conn.state < Conn.OPEN;
    if (conn.state == Conn.OPEN) {
      open--;
      engine.closedByServer.incrementAndGet();
    }
    engine.problem(reason);
    finish(conn);
    if (handshaking) {
      engine.failed.incrementAndGet();
      engine.handshakes.release();
    }
  }

  private void finish(Conn conn) {
    if (conn.state < Conn.CLOSED) {
      conn.state = Conn.CLOSED;
      live--;
      conn.closeChannel();
      conn.in = null;
      conn.out = null;
      conn.fragments = null;
    }
  }
}
