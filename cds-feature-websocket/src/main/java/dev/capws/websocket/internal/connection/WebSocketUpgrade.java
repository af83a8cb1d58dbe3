package dev.capws.websocket.internal.connection;

import java.io.IOException;
import java.time.Instant;

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
  /** Read buffer of each container thread: an idle connection holds none. */
  private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[4 * 1024]);

  private Connection connection;
  private FrameHandler handler;
  private OpenConnections open;
  private Limits limits;

  private WebConnection webConnection;
  private ServletInputStream in;
  private FrameReader reader;
  private RateLimiter rate;

  /** For the container, which instantiates upgrade handlers itself; {@link #bind} follows at once. */
  public WebSocketUpgrade() {
  }

  /** @param handler where the connection's messages go */
  public void bind(Connection connection, FrameHandler handler, OpenConnections open, Limits limits) {
    this.connection = connection;
    this.handler = handler;
    this.open = open;
    this.limits = limits;
    connection.runHooksOn(open.hooks());
    // First, and on the thread that notices the close: the socket and the listing are gone before any hook runs.
    connection.handshake().whenClosed(this::release);
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
    reader = new FrameReader(limits.maxMessageSize(), this);
    rate = new RateLimiter(limits.maxMessagesPerSecond());
    open.add(connection);
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
    String text = Utf8.decode(message, message.length);
    if (text == null) {
      fail(CloseCodes.INVALID_PAYLOAD, "Binary message is not valid UTF-8");
      return;
    }
    text(text);
  }

  @Override
  public void ping(byte[] payload) {
    connection.alive();
    connection.writer().pong(payload);
  }

  @Override
  public void pong() {
    connection.alive();
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
    connection.afterClose(() -> handler.closed(connection, code)); // application code: not on this thread
  }
}
