package dev.capws.websocket.api;

/** One client of a {@link WebSocketRoute}: it exchanges raw text, no events. */
public interface RouteSession extends WebSocketClient {

  /** Queues a text frame for the client; never blocks on the network. */
  void send(String text);
}
