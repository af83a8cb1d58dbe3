package dev.capws.websocket.api;

/**
 * A WebSocket endpoint of the application's own, served below the plugin's prefix (the counterpart of the Node
 * plugin's custom routes): it gets the raw text messages of its clients. The upgrade still goes through CAP's
 * security configuration, so {@link RouteSession#user()} is the authenticated user.
 *
 * <pre>{@code
 * @Component
 * class EchoRoute implements WebSocketRoute {
 *   EchoRoute(CdsRuntime runtime) {
 *     WebSocketRoutes.of(runtime).add("/ws/echo", this);
 *   }
 *
 *   public void received(RouteSession session, String message) {
 *     session.send(message);
 *   }
 * }
 * }</pre>
 */
public interface WebSocketRoute {

  default void opened(RouteSession session) {
  }

  /** One complete text (or UTF-8 binary) message; called for one session at a time, in order. */
  void received(RouteSession session, String message);

  /** After the session closed, with the close code; on the plugin's hook threads, before its onDisconnect callbacks. */
  default void closed(RouteSession session, int code) {
  }
}
