package dev.capws.websocket.api;

import java.util.Set;
import java.util.function.Consumer;

/**
 * One connected client, as application code sees it: in a handler of a call that came over the socket (an
 * operation, {@code wsConnect}, {@code wsDisconnect}, {@code wsContext}), {@link WebSockets#current()} returns the
 * caller's connection.
 *
 * <pre>{@code
 * @On(event = JoinContext.CDS_NAME)
 * public void join(JoinContext context) {
 *   WebSockets.current().ifPresent(connection -> {
 *     connection.enter("room-" + context.getRoom());
 *     connection.broadcast("joined", Map.of("user", connection.user().getName()), to -> to.contexts("room-1"));
 *   });
 * }
 * }</pre>
 */
public interface WebSocketConnection extends WebSocketClient {

  /** The qualified name of the WebSocket service the client is connected to. */
  String service();

  /** The contexts the client is in. */
  Set<String> contexts();

  /**
   * Enters contexts: events targeted at them reach this client.
   *
   * @throws IllegalStateException if the client is in as many contexts as it may be
   */
  void enter(String... contexts);

  void exit(String... contexts);

  /** Leaves every context. */
  void reset();

  /** Sends an event to this client only. */
  void emit(String event, Object data);
  /** Sends an event to the other clients of the service in the tenant (not to this one). */
  default void broadcast(String event, Object data) {
    broadcast(event, data, headers -> {});
  }

  /**
   * Sends an event to the other clients of the service in the tenant that the headers select
   * ({@link EmitHeaders#users}, {@link EmitHeaders#contexts}, ...). The event's annotations apply if the service
   * declares it.
   */
  void broadcast(String event, Object data, Consumer<EmitHeaders> headers);

  /** Like {@link #broadcast(String, Object)}, this client included. */
  default void broadcastAll(String event, Object data) {
    broadcastAll(event, data, headers -> {});
  }

  /** Like {@link #broadcast(String, Object, Consumer)}, this client included. */
  void broadcastAll(String event, Object data, Consumer<EmitHeaders> headers);
}
