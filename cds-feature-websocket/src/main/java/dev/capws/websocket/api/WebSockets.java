package dev.capws.websocket.api;

import java.util.Optional;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.internal.configuration.WebSocketRuntime;
import dev.capws.websocket.internal.inbound.ConnectionCalls;

/** Where application code finds the WebSocket connection of the call it is handling, and the connected clients. */
public final class WebSockets {

  private WebSockets() {}

  /**
   * The connection whose call is being handled on this thread (an operation, {@code wsConnect},
   * {@code wsDisconnect} or {@code wsContext} called over the socket); empty for calls that came otherwise, e.g.
   * over OData.
   */
  public static Optional<WebSocketConnection> current() {
    return ConnectionCalls.current();
  }

  /** The clients connected to this instance's WebSocket services, read-only. */
  public static WebSocketClients clients(CdsRuntime runtime) {
    return WebSocketRuntime.of(runtime).clients();
  }
}
