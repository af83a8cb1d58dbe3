package dev.capws.websocket.transport;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The container's view of one client: sets the limits on its session, turns container callbacks into
 * {@link FrameHandler} calls and keeps the {@link ConnectionRegistry} up to date. One instance per connection.
 */
final class SessionEndpoint extends Endpoint {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoint.class);
  /** Tomcat's bound on a blocking write (close frames); its default of 20 s would pin a thread on a dead peer. */
  private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

  private final TransportContext transport;
  private final FrameHandler handler;
  private final boolean registered;
  private final Connection connection;
  private RateLimiter rate;

  /**
   * @param handler    where the connection's messages go
   * @param registered whether the connection is in the registry, i.e. can receive broadcasts (not custom routes)
   */
  SessionEndpoint(TransportContext transport, FrameHandler handler, boolean registered, Connection connection) {
    this.transport = transport;
    this.handler = handler;
    this.registered = registered;
    this.connection = connection;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    session.setMaxTextMessageBufferSize(transport.maxMessageSize());
    session.setMaxBinaryMessageBufferSize(transport.maxMessageSize());
    session.setMaxIdleTimeout(0);
    session.getAsyncRemote().setSendTimeout(transport.sendTimeoutMillis());
    session.getUserProperties().put(BLOCKING_SEND_TIMEOUT, Long.valueOf(5_000));

    connection.attach(new JakartaFrameSink(session));
    rate = new RateLimiter(transport.limits().maxMessagesPerSecond());
    transport.open().add(connection);
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
    session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onBinary);
    session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> connection.alive());
    LOG.debug("Opened {}", connection);
    handler.opened(connection);
  }

  private void onText(String message) {
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
  private void onBinary(ByteBuffer message) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(message).toString();
    } catch (CharacterCodingException e) {
      connection.close(CloseCodes.INVALID_PAYLOAD, "Binary message is not valid UTF-8");
      return;
    }
    onText(text);
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    int code = closeReason.getCloseCode().getCode();
    transport.open().remove(connection);
    if (registered) {
      transport.registry().remove(connection);
    }
    connection.closed(code);
    LOG.debug("Closed {} with {}", connection, closeReason);
    handler.closed(connection, code);
  }

  @Override
  public void onError(Session session, Throwable error) {
    // The container closes the session after this with the matching close code (1002, 1007, 1009...).
    LOG.debug("WebSocket error on {}", connection, error);
  }
}
