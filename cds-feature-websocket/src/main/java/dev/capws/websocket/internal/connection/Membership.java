package dev.capws.websocket.internal.connection;

/**
 * Where a connection is listed so that events can find it (the recipient index). The connection reports its context
 * changes and its end here, under its own lock, so that the listing never disagrees with the connection.
 */
public interface Membership {

  void entered(Connection connection, String context);

  void exited(Connection connection, String context);

  /** The connection is over: it is no longer listed. */
  void left(Connection connection);
}
