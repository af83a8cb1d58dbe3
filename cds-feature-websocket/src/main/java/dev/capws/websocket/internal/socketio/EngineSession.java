package dev.capws.websocket.internal.socketio;

import java.security.SecureRandom;
import java.util.Base64;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.RateLimiter;

/**
 * One Engine.IO session: its id, the connection that carries it and, while it long-polls (until an upgrade has
 * switched it to a socket), its polling transport.
 * It serves one Socket.IO namespace (one service), the one the client connects to first; the connection is listed
 * for that service's events from then on.
 */
final class EngineSession {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String sid = randomId();
  private final String socketId = randomId();
  private final Connection connection;
  /** The user who opened the session (tenant and name): every later request must come from them. */
  private final String owner;
  /** For the messages that come by POST; over WebSocket, the upgrade handler limits them. */
  private final RateLimiter rate;
  private volatile PollingTransport polling;
  private volatile String namespace;

  EngineSession(Connection connection, String owner, RateLimiter rate) {
    this.connection = connection;
    this.owner = owner;
    this.rate = rate;
  }

  /** 20 random characters, as long as Engine.IO's own ids. */
  private static String randomId() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  String sid() {
    return sid;
  }

  /** The id the Socket.IO socket gets in its namespace (not the session id, which would let others poll). */
  String socketId() {
    return socketId;
  }

  Connection connection() {
    return connection;
  }

  String owner() {
    return owner;
  }

  RateLimiter rate() {
    return rate;
  }

  PollingTransport polling() {
    return polling;
  }

  void pollWith(PollingTransport transport) {
    this.polling = transport;
  }

  String namespace() {
    return namespace;
  }

  void connectedTo(String connected) {
    this.namespace = connected;
  }
}
