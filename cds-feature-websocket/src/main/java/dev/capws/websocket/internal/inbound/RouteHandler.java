package dev.capws.websocket.internal.inbound;

import dev.capws.websocket.api.RouteSession;
import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.internal.connection.ClientView;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.FrameHandler;

/** Hands the messages of a custom route's clients to the application's route, raw. */
public final class RouteHandler implements FrameHandler {

  private final WebSocketRoute route;

  public RouteHandler(WebSocketRoute route) {
    this.route = route;
  }

  @Override
  public void opened(Connection connection) {
    route.opened(new Session(connection));
  }

  @Override
  public void received(Connection connection, String message) {
    route.received(new Session(connection), message);
  }

  /** Routes get no error frames (their messages are raw): a dropped message is just dropped. */
  @Override
  public void throttled(Connection connection, String message) {
    // nothing to answer in a format the route does not define
  }

  @Override
  public void closed(Connection connection, int code) {
    route.closed(new Session(connection), code);
  }

  /** The route's view of a connection; equal for the same connection. */
  private static final class Session extends ClientView implements RouteSession {
    Session(Connection connection) {
      super(connection);
    }

    @Override
    public void send(String text) {
      connection.send(text);
    }
  }
}
