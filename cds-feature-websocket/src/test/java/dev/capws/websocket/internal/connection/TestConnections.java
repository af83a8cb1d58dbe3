package dev.capws.websocket.internal.connection;

/** Reaches into a connection for tests in other packages: hands it a scripted socket as the container would. */
public final class TestConnections {

  private TestConnections() {}

  /** The container handed the socket over: what was sent so far leaves now, the rest as it is sent. */
  public static ScriptedOutputStream attach(Connection connection) {
    ScriptedOutputStream stream = new ScriptedOutputStream();
    connection.writer().attach(stream);
    return stream;
  }

  public static CloseHandshake.State closeState(Connection connection) {
    return connection.handshake().state();
  }
}
