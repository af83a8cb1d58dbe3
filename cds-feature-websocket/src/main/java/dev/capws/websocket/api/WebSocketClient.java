package dev.capws.websocket.api;

import java.util.function.Consumer;

import com.sap.cds.services.request.UserInfo;

/**
 * What every connected client has, as application code sees it: a client of a WebSocket service
 * ({@link WebSocketConnection}) or of a custom route ({@link RouteSession}).
 */
public interface WebSocketClient {

  /** The server's id of this connection, unique in this server. */
  String connectionId();

  /** The client's own {@code ?id=} identifier from the connect URL, or null. */
  String identifier();

  /** The user of the upgrade request. */
  UserInfo user();

  /** The user's tenant, or null. */
  String tenant();

  /** The path the client connected to. */
  String path();

  /** Closes the connection normally (1000) once what was sent to it before has been written. */
  default void disconnect() {
    disconnect(1000, "Disconnected by the server");
  }

  /**
   * Closes the connection with an RFC 6455 close code once what was sent to it before has been written.
   *
   * @param code   1000-1003, 1007-1014 or 3000-4999 (the codes a close frame may carry)
   * @param reason a short text for the client; cut to fit the 123 bytes a close frame has room for
   * @throws IllegalArgumentException for a code that may not be sent (1005, 1006, 1015, out of range)
   */
  void disconnect(int code, String reason);

  /**
   * Runs the callback once the connection has closed, with the close code (soon if it has), after the service's
   * {@code wsDisconnect}. It runs on the plugin's hook threads ({@code ws-hooks-*}), one connection's callbacks one
   * after the other, never on a thread that delivers events: it may take its time without delaying other clients.
   */
  void onDisconnect(Consumer<Integer> callback);
}
