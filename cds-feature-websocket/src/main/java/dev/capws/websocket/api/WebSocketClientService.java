package dev.capws.websocket.api;

import java.util.List;

import com.sap.cds.services.Service;

/**
 * A CAP service of this application that is a WebSocket client of another application's WebSocket service,
 * configured under {@code cds.websocket.clients.<name>} (as the Node plugin's {@code websocket-client-ws} services).
 * The other side's events reach this service's handlers as CAP events ({@code @On(service = "<name>", event =
 * "serverNotification")}, the frame's data under {@code "data"}); {@code emit} of an event on this service sends a
 * frame. The connection comes back by itself after a loss, and catches up ({@code ?since=}) when the server offers
 * recovery.
 */
public interface WebSocketClientService extends Service {

  /** Sends {@code {"event": event, "data": data}}; does not wait for anything. */
  void send(String event, Object data);

  /**
   * Calls an operation of the other side and returns its result (the reply frame's {@code data}), waiting at most
   * the configured {@code reply-timeout}.
   *
   * @throws com.sap.cds.services.ServiceException with the error frame's status and message if the call failed, or
   *         if there was no reply in time or no connection
   */
  Object call(String event, Object data);

  /** Enters contexts of the other side ({@code wsContext}), so that events sent to them arrive here. */
  void enterContexts(List<String> contexts);

  /** Leaves contexts of the other side. */
  void exitContexts(List<String> contexts);

  /** Whether the connection is open now. */
  boolean isConnected();
}
