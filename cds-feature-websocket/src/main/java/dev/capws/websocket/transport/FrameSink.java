package dev.capws.websocket.transport;

import java.util.function.Consumer;

/**
 * The one place a frame meets the network. Kept this small so that another container or a hand-written NIO
 * transport can replace {@code jakarta.websocket} without touching the rest of the plugin.
 */
public interface FrameSink {

  /**
   * Starts sending one text frame without blocking. {@code onSent} is called exactly once, with {@code null} on
   * success or the failure; it may be called before this method returns. Only one frame is in flight at a time.
   */
  void send(String frame, Consumer<Throwable> onSent);

  /** Starts sending a ping, with the same contract as {@link #send}. */
  void ping(Consumer<Throwable> onSent);

  /** Closes the connection with an RFC 6455 close code and a short reason; safe to call more than once. */
  void close(int code, String reason);
}
