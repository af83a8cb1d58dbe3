package dev.capws.websocket.internal.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.FrameReader;
import dev.capws.websocket.internal.codec.Utf8;

/**
 * One client's socket after the 101: the servlet container hands it over here (Servlet API upgrade, so any
 * container with non-blocking I/O works). Inbound bytes go through a {@link FrameReader} to the
 * {@link FrameHandler}; outbound frames leave through the connection's writer. What the reader and the socket report
 * about the close goes to the connection's {@link CloseHandshake}, which decides when it is over; then this class
 * releases the socket and tells everyone once. One instance per connection.
 */
public final class WebSocketUpgrade implements HttpUpgradeHandler, ReadListener, FrameReader.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);
  /**
   * Read buffer of each container thread: an idle connection holds none. Larger than Tomcat's socket buffer (8 KiB
   * by default), so that a read shorter than it shows that Tomcat holds no more bytes of this socket (see
   * {@link #READ_BUDGET}).
   */
  private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
  /**
   * Bytes, and frames, one read callback takes before it gives its container thread back, so that a client streaming
   * without pause cannot hold a thread of the pool (other connections' callbacks and HTTP requests wait for those):
   * frames, because each message may run an operation; bytes, because large ones cost by their size. Tomcat
   * registers the socket for reading again after every callback, so the rest is read in a new one, queued behind the
   * others; it does so only while the kernel holds bytes, hence the callback ends right after a short read, once
   * Tomcat's own buffer is empty. Other containers call back only after {@code isReady()} returned false, and over
   * TLS Tomcat may hold bytes it has not decrypted yet: there the callback reads on.
   */
  static final int READ_BUDGET = 256 * 1024;
  static final int READ_BUDGET_FRAMES = 64;

  private Connection connection;
  private FrameHandler handler;
  private OpenConnections open;
  private Limits limits;

  private WebConnection webConnection;
  private ServletInputStream in;
  /** Null once the connection is over: Tomcat may keep this handler until its next event on the socket. */
  private volatile FrameReader reader;
  private RateLimiter rate;
  /** Whether the container calls back after a callback that stopped while bytes waited (Tomcat does). */
  private boolean yields;
  /** Whether the socket speaks TLS to the container (see {@link #READ_BUDGET}). */
  private boolean overTls;
  /** Frames the current read callback may still take (see {@link #READ_BUDGET_FRAMES}). */
  private int framesLeft;
  /** The unfinished message that the deadline watches (the reader's number), set on the reading thread. */
  private volatile long unfinished;
  private volatile ScheduledFuture<?> deadline;
  /** Set by the deadline: what the client sends from now on is read and dropped. */
  private volatile boolean abandoned;
  /** Messages that wait while the client does not read (read-side back-pressure). */
  private final HeldMessages held = new HeldMessages();

  /** For the container, which instantiates upgrade handlers itself; {@link #bind} follows at once. */
  public WebSocketUpgrade() {
  }

  /** Set once the handler was told the connection opened: only then is it told that it closed. */
  private volatile boolean opened;

  /** @param handler where the connection's messages go */
  public void bind(Connection connection, FrameHandler handler, OpenConnections open, Limits limits) {
    this.connection = connection;
    this.handler = handler;
    this.open = open;
    this.limits = limits;
    connection.runHooksOn(open.hooks());
    // Held messages are application code: they run on the hooks' threads, not on the thread that found the socket
    // writable (which may be the fan-out's). Most sockets that fill up and drain again hold no message: no hand-off.
    connection.whenSocketDrains(() -> {
      if (held.waiting() > 0) {
        open.hooks().run(connection, this::releaseHeld);
      }
    });
    // First, and on the thread that notices the close: the socket and the listing are gone before any hook runs.
    connection.handshake().whenClosed(this::release);
  }

  /** The upgrade request came over TLS (or says it did): then a read callback does not give its thread back early. */
  public void overTls(boolean secure) {
    this.overTls = secure;
  }

  @Override
  public void init(WebConnection webConnection) {
    this.webConnection = webConnection;
    try {
      in = webConnection.getInputStream();
      connection.socketOutput(webConnection.getOutputStream());
    } catch (IOException e) {
      LOG.debug("Upgraded connection unusable", e);
      connection.handshake().hungUp();
      return;
    }
    reader = new FrameReader(limits.maxMessageSize(), limits.messageTimeoutMillis(), this);
    rate = new RateLimiter(limits.maxMessagesPerSecond());
    yields = !overTls && in.getClass().getName().startsWith("org.apache.coyote.");
    open.add(connection);
    in.setReadListener(this);
    LOG.debug("Opened {}", connection);
    opened = true;
    handler.opened(connection);
  }

  @Override
  public void onDataAvailable() throws IOException {
    byte[] buffer = READ_BUFFER.get();
    int budget = READ_BUDGET;
    framesLeft = READ_BUDGET_FRAMES;
    // Keep reading after a close or a violation (and drop the bytes): only reading sees the client hang up.
    while (in.isReady()) {
      int n = in.read(buffer);
      if (n < 0) {
        return; // onAllDataRead follows
      }
      connection.traffic().receivedBytes(n);
      FrameReader current = reader;
      if (current != null && !current.stopped() && !abandoned) {
        current.feed(buffer, 0, n);
      }
      budget -= n;
      if ((budget <= 0 || framesLeft <= 0) && yields && n < buffer.length) {
        break; // the thread goes back to the pool; Tomcat calls again for what the kernel still holds
      }
    }
    watchDeadline();
  }

  /**
   * A message left unfinished when the bytes ran out must end within the message timeout, even if the client sends
   * nothing more (the reader checks the timeout itself at each frame that does come). The timer is set only for a
   * message that spans callbacks, and once per message.
   */
  private void watchDeadline() {
    FrameReader current = reader;
    long number = current == null || current.stopped() ? 0 : current.unfinishedMessage();
    if (number == unfinished) {
      return;
    }
    unfinished = number;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    long timeout = limits.messageTimeoutMillis();
    if (number != 0 && timeout > 0) {
      long delay = current.unfinishedSince() + timeout * 1_000_000 - System.nanoTime();
      deadline = CloseHandshake.TIMER.schedule(() -> expire(number), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }
  }

  /** On the timer: the message is still unfinished. */
  private void expire(long number) {
    if (unfinished == number) {
      abandoned = true;
      fail(CloseCodes.POLICY_VIOLATION, "Message not completed in time");
    }
  }

  @Override
  public void onAllDataRead() {
    connection.handshake().hungUp();
  }

  @Override
  public void onError(Throwable failure) {
    LOG.debug("Reading from {} failed", connection, failure);
    connection.handshake().hungUp();
  }

  @Override
  public void destroy() {
    connection.handshake().hungUp(); // the container dropped the socket; no-op if the connection already ended
  }

  // --- frames from the client

  /**
   * Every frame the client sends but close takes a token of the rate limit, pings and fragments included, before
   * any of its payload is read: over the rate, a message is skipped unparsed and answered with 429 at its end
   * (from its first bytes alone), a ping goes unanswered. Any frame shows the client is alive.
   */
  @Override
  public boolean admit(int opcode) {
    framesLeft--;
    connection.alive();
    return rate.tryAcquire();
  }

  /** A message runs now, or waits while the client's socket is full ({@link HeldMessages}). */
  @Override
  public void text(String message) {
    connection.traffic().receivedMessage();
    switch (held.offer(message, connection.socketFull())) {
      case RUN -> run(message);
      case HELD -> releaseHeld(); // the client may have read meanwhile: then nothing else would release it
      case FULL -> {
        held.clear(); // none of it runs: the client is closed for it
        fail(CloseCodes.POLICY_VIOLATION, "Too much sent without reading");
      }
    }
  }

  /** Runs what waits, while the socket takes writes and the connection is open (a closing one runs nothing more). */
  private void releaseHeld() {
    held.release(() -> connection.socketFull() || connection.handshake().state() != CloseHandshake.State.OPEN,
        this::run);
  }

  private void run(String message) {
    if (connection.isExpired(Instant.now())) { // no call runs on an expired token, even between heartbeats
      connection.close(CloseCodes.POLICY_VIOLATION, "Token expired");
      return;
    }
    handler.received(connection, message);
  }

  /** A message over the rate: only its head was kept, enough for the refusal to name the call when it is short. */
  @Override
  public void dropped(byte[] head) {
    handler.throttled(connection, new String(head, StandardCharsets.UTF_8));
  }

  /** The Node plugin reads binary messages as text; so do we, but only if they are valid UTF-8 (else 1007). */
  @Override
  public void binary(byte[] message) {
    String text = Utf8.decode(message, message.length);
    if (text == null) {
      fail(CloseCodes.INVALID_PAYLOAD, "Binary message is not valid UTF-8");
      return;
    }
    text(text);
  }

  @Override
  public void ping(byte[] payload) {
    connection.pong(payload);
  }

  @Override
  public void pong() {
    // admit() has taken it as a sign of life
  }

  @Override
  public void close(int code, String reason) {
    int answer = connection.handshake().peerClosed(code);
    if (answer != 0) {
      connection.close(answer, ""); // the answer is the last frame; the end follows once it has left
    }
  }

  @Override
  public void fail(int code, String reason) {
    LOG.debug("{} broke the protocol: {}", connection, reason);
    // What it sends after this is read and dropped until it answers the close or the close timeout ends it: closing
    // the socket under a client still sending would reset the connection before it could read why.
    connection.close(code, reason);
  }

  /**
   * The connection is over: releases the socket and the listing. Closing the web connection is how the Servlet API
   * hands a socket back; the container closes it at once when this runs on its thread (the common case: the client's
   * close frame or hang-up was just read), otherwise at its next event on the socket.
   */
  private void release(int code) {
    ScheduledFuture<?> watching = deadline;
    if (watching != null) {
      watching.cancel(false); // a deadline must not keep a closed connection's buffers for its remaining time
    }
    // The container releases this handler only at its next event on the socket, which a client that neither
    // answers nor hangs up never causes: the half-read message must not stay with it.
    reader = null;
    held.clear();
    connection.released();
    if (webConnection != null) {
      try {
        webConnection.close();
      } catch (Exception e) {
        LOG.debug("Closing the socket of {} failed", connection, e);
      }
    }
    open.remove(connection);
    connection.leave();
    LOG.debug("Closed {} with {}", connection, code);
    if (opened) { // a connection the container dropped before it started never ran wsConnect: no wsDisconnect either
      connection.afterClose(() -> handler.closed(connection, code)); // application code: not on this thread
    }
  }
}
