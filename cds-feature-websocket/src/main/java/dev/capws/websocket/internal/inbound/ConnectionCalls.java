package dev.capws.websocket.internal.inbound;

import java.util.Optional;
import java.util.function.Function;

import com.sap.cds.services.request.RequestContext;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.internal.connection.Connection;

/**
 * Runs a client's call on its behalf: in a CAP request context with the connection's user and tenant (so CAP's
 * authorization, handlers and transactions apply as for an OData call), and with {@code WebSockets.current()}
 * returning the connection to the handlers. Every call that comes over a socket goes through here.
 */
public final class ConnectionCalls {

  private static final ThreadLocal<WebSocketConnection> CURRENT = new ThreadLocal<>();

  private final CdsRuntime runtime;
  private final Function<Connection, WebSocketConnection> facades;

  /** @param facades the application's view of a connection */
  public ConnectionCalls(CdsRuntime runtime, Function<Connection, WebSocketConnection> facades) {
    this.runtime = runtime;
    this.facades = facades;
  }

  public CdsRuntime runtime() {
    return runtime;
  }

  /** Runs the call as the connection's user; returns its result. */
  public <T> T run(Connection connection, Function<RequestContext, T> call) {
    WebSocketConnection previous = CURRENT.get();
    CURRENT.set(facades.apply(connection));
    try {
      return runtime.requestContext().user(connection.user()).run(call::apply);
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The connection whose call runs on this thread, if any. */
  public static Optional<WebSocketConnection> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
