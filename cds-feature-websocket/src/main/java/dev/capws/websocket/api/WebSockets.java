package dev.capws.websocket.api;

import java.util.Optional;
import java.util.function.Supplier;

/** Where application code finds the WebSocket connection of the call it is handling. */
public final class WebSockets {

  private static final ThreadLocal<WebSocketConnection> CURRENT = new ThreadLocal<>();

  private WebSockets() {}

  /**
   * The connection whose call is being handled on this thread (an operation, {@code wsConnect},
   * {@code wsDisconnect} or {@code wsContext} called over the socket); empty for calls that came otherwise, e.g.
   * over OData.
   */
  public static Optional<WebSocketConnection> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Runs a call on behalf of a connection. Used by the plugin when it dispatches a client's frame. */
  public static <T> T callFor(WebSocketConnection connection, Supplier<T> call) {
    WebSocketConnection previous = CURRENT.get();
    CURRENT.set(connection);
    try {
      return call.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
