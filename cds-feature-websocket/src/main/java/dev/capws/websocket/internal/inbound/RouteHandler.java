package dev.capws.websocket.internal.inbound;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.api.RouteSession;
import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.connection.ClientView;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.FrameHandler;

/**
 * Hands the messages of a custom route's clients to the application's route, raw. An exception of the route closes
 * its client with 1011 (RFC 6455: the server met a condition that kept it from fulfilling the request): the route
 * defines no error frames, and an exception thrown into the container's read callback would drop the socket
 * without a close frame.
 */
public final class RouteHandler implements FrameHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RouteHandler.class);

  private final WebSocketRoute route;

  public RouteHandler(WebSocketRoute route) {
    this.route = route;
  }

  @Override
  public void opened(Connection connection) {
    try {
      route.opened(new Session(connection));
    } catch (RuntimeException e) {
      failed(connection, "opened", e);
    }
  }

  @Override
  public void received(Connection connection, String message) {
    try {
      route.received(new Session(connection), message);
    } catch (RuntimeException e) {
      failed(connection, "received", e);
    }
  }

  /** Routes get no error frames (their messages are raw): a dropped message is just dropped. */
  @Override
  public void throttled(Connection connection, String message) {
    // nothing to answer in a format the route does not define
  }

  @Override
  public void closed(Connection connection, int code) {
    try {
      route.closed(new Session(connection), code);
    } catch (RuntimeException e) { // the connection is over: nothing to close, only to report
      LOG.error("The route at {} failed in closed()", connection.endpoint().path(), e);
    }
  }

  private static void failed(Connection connection, String callback, RuntimeException e) {
    LOG.error("The route at {} failed in {}(): closing {} with 1011", connection.endpoint().path(), callback,
        connection, e);
    connection.close(CloseCodes.INTERNAL_ERROR, "Internal server error");
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
