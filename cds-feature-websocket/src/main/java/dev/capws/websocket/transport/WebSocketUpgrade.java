package dev.capws.websocket.transport;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's socket after the 101: the servlet container hands it over here (Servlet API upgrade, so any
 * container with non-blocking I/O works) and from then on this class speaks RFC 6455 on it. Inbound bytes go
 * through a {@link FrameReader} to the {@link FrameHandler}; outbound frames go through a {@link FrameWriter}. It also
 * runs the close handshake and keeps the registry up to date. One instance per connection.
 */
public final class WebSocketUpgrade implements HttpUpgradeHandler, ReadListener, FrameReader.Listener,
    FrameWriter.Events {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);
  /** How long a client has to answer our close frame before its connection is dropped anyway. */
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  private static final ScheduledThreadPoolExecutor CLOSE_TIMER = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "ws-close-timer");
    thread.setDaemon(true);
    return thread;
  });

  static {
    CLOSE_TIMER.setRemoveOnCancelPolicy(true); // a connection that ended is not kept alive by its timeout
  }
  /** Read buffer of each container thread: an idle connection holds none. */
  private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[4 * 1024]);

  private TransportContext transport;
  private FrameHandler handler;
  private boolean registered;
  private Connection connection;

  private WebConnection webConnection;
  private ServletInputStream in;
  private FrameWriter writer;
  private FrameReader reader;
  private RateLimiter rate;
  /** The close handshake: who started it, with which codes. */
  private volatile boolean peerClosed;
  private volatile boolean peerStarted;
  private volatile int peerCode;
  private volatile int sentCode;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile ScheduledFuture<?> closeTimeout;

  /** For the container, which instantiates upgrade handlers itself; {@link #bind} follows at once. */
  public WebSocketUpgrade() {
  }

  /**
   * @param handler    where the connection's messages go
   * @param registered whether the connection is in the registry, i.e. can receive broadcasts (not custom routes)
   */
  void bind(TransportContext transport, FrameHandler handler, boolean registered, Connection connection) {
    this.transport = transport;
    this.handler = handler;
    this.registered = registered;
    this.connection = connection;
  }

  @Override
  public void init(WebConnection webConnection) {
    this.webConnection = webConnection;
    ServletOutputStream out;
    try {
      in = webConnection.getInputStream();
      out = webConnection.getOutputStream();
    } catch (IOException e) {
      LOG.debug("Upgraded connection unusable", e);
      end(CloseCodes.ABNORMAL);
      return;
    }
    writer = new FrameWriter(out, this);
    reader = new FrameReader(transport.maxMessageSize(), this);
    rate = new RateLimiter(transport.limits().maxMessagesPerSecond());
    // The write listener first: frames that waited for the upgrade are written as soon as the sink is attached.
    out.setWriteListener(writer);
    connection.attach(writer);
    transport.open().add(connection);
    in.setReadListener(this);
    LOG.debug("Opened {}", connection);
    handler.opened(connection);
  }

  @Override
  public void onDataAvailable() throws IOException {
    byte[] buffer = READ_BUFFER.get();
    // Keep reading after a close or a violation (and drop the bytes): only reading sees the client hang up.
    while (in.isReady()) {
      int n = in.read(buffer);
      if (n < 0) {
        return; // onAllDataRead follows
      }
      if (!reader.stopped()) {
        reader.feed(buffer, 0, n);
      }
    }
  }

  @Override
  public void onAllDataRead() {
    hungUp();
  }

  @Override
  public void onError(Throwable failure) {
    LOG.debug("Reading from {} failed", connection, failure);
    hungUp();
  }

  @Override
  public void destroy() {
    hungUp(); // the container dropped the socket; no-op if the connection already ended
  }

  /** The socket is gone. After our close frame that counts as the answer; otherwise the end was abnormal. */
  private void hungUp() {
    int ours = writer == null ? 0 : writer.closeCode();
    end(ours != 0 && !peerStarted ? ours : CloseCodes.ABNORMAL);
  }

  // --- frames from the client

  @Override
  public void text(String message) {
    connection.alive();
    if (connection.isExpired(Instant.now())) { // no call runs on an expired token, even between heartbeats
      connection.close(CloseCodes.POLICY_VIOLATION, "Token expired");
      return;
    }
    if (rate.tryAcquire()) {
      handler.received(connection, message);
    } else {
      handler.throttled(connection, message);
    }
  }

  /** The Node plugin reads binary messages as text; so do we, but only if they are valid UTF-8 (else 1007). */
  @Override
  public void binary(byte[] message) {
    String text = FrameReader.utf8(message, message.length);
    if (text == null) {
      fail(CloseCodes.INVALID_PAYLOAD, "Binary message is not valid UTF-8");
      return;
    }
    text(text);
  }

  @Override
  public void ping(byte[] payload) {
    connection.alive();
    writer.pong(payload);
  }

  @Override
  public void pong() {
    connection.alive();
  }

  @Override
  public void close(int code, String reason) {
    peerCode = code;
    peerStarted = writer.closeCode() == 0;
    peerClosed = true;
    if (sentCode != 0) {
      end(outcome()); // the answer to our close: the handshake is complete
    } else {
      // Echo the client's code, as RFC 6455 asks (connection.close stops the outbox too); the end follows the echo.
      connection.close(code == CloseCodes.NO_STATUS ? CloseCodes.NORMAL : code, "");
    }
  }

  @Override
  public void fail(int code, String reason) {
    LOG.debug("{} broke the protocol: {}", connection, reason);
    // What it sends after this is read and dropped until it answers the close or the close timeout ends it: closing
    // the socket under a client still sending would reset the connection before it could read why.
    connection.close(code, reason);
    if (sentCode != 0) {
      end(sentCode);
    }
  }

  // --- the close handshake

  /** A client that neither reads our close frame nor answers it in time is dropped all the same. */
  @Override
  public void closeRequested(int code) {
    closeTimeout = CLOSE_TIMER.schedule(() -> end(code), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void closeSent(int code) {
    sentCode = code;
    if (peerClosed) {
      end(outcome());
    }
  }

  /** The code the hooks see: the client's if it started the close, else ours. */
  private int outcome() {
    return peerStarted ? peerCode : sentCode;
  }

  @Override
  public void failed(Throwable failure) {
    LOG.debug("Writing to {} failed", connection, failure);
    end(CloseCodes.ABNORMAL);
  }

  /**
   * The connection is over: releases the socket and tells everyone once. Closing both streams is how the Servlet
   * API hands a socket back; the container closes it at once when this runs on its thread (the common case: the
   * client's close frame or hang-up was just read), otherwise at its next event on the socket.
   */
  private void end(int code) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> timeout = closeTimeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (writer != null) {
      writer.end();
    }
    if (webConnection != null) {
      try {
        webConnection.close();
      } catch (Exception e) {
        LOG.debug("Closing the socket of {} failed", connection, e);
      }
    }
    if (connection == null) {
      return;
    }
    transport.open().remove(connection);
    if (registered) {
      transport.registry().remove(connection);
    }
    connection.closed(code);
    LOG.debug("Closed {} with {}", connection, code);
    handler.closed(connection, code);
  }
}
