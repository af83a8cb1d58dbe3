package dev.capws.websocket.internal.connection;

/**
 * What the transport hands upward: connection lifecycle and inbound text. Implemented by the inbound side, so the
 * transport depends on nothing above it.
 */
public interface FrameHandler {

  void opened(Connection connection);

  /** One complete inbound message as text (binary messages arrive here too, decoded as UTF-8). */
  void received(Connection connection, String message);

  /** A message dropped because the client sends faster than {@code cds.websocket.max-messages-per-second}. */
  void throttled(Connection connection, String message);

  /** After the connection is gone; {@code code} is the close code (1006 when the peer vanished). */
  void closed(Connection connection, int code);
}
