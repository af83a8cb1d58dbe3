package dev.capws.websocket.transport;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.api.RouteSession;
import dev.capws.websocket.api.WebSocketRoute;

/** Hands the messages of a custom route's clients to the application's route, raw. */
final class RouteHandler implements FrameHandler {

  private final WebSocketRoute route;

  RouteHandler(WebSocketRoute route) {
    this.route = route;
  }

  @Override
  public void opened(Connection connection) {
    route.opened(session(connection));
  }

  @Override
  public void received(Connection connection, String message) {
    route.received(session(connection), message);
  }

  /** Routes get no error frames (their messages are raw): a dropped message is just dropped. */
  @Override
  public void throttled(Connection connection, String message) {
    // nothing to answer in a format the route does not define
  }

  @Override
  public void closed(Connection connection, int code) {
    route.closed(session(connection), code);
  }

  private static RouteSession session(Connection connection) {
    return new Session(connection);
  }

  /** The route's view of a connection; equal for the same connection. */
  private record Session(Connection connection) implements RouteSession {
    @Override
    public String path() {
      return connection.endpoint().path();
    }

    @Override
    public UserInfo user() {
      return connection.user();
    }

    @Override
    public String identifier() {
      return connection.identifier();
    }

    @Override
    public void send(String text) {
      connection.send(text);
    }

    @Override
    public void close(int code, String reason) {
      connection.close(code, reason);
    }
  }
}
