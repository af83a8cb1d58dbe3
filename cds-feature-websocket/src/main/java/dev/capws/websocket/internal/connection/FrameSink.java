package dev.capws.websocket.internal.connection;

import java.util.List;
import java.util.function.Consumer;

import dev.capws.websocket.internal.codec.OutboundFrame;

/**
 * The one place frames meet the network. Kept this small so that the outbox, the queueing and the limits do not
 * depend on how bytes reach the socket.
 */
public interface FrameSink {

  /**
   * Starts writing frames, in order, as one batch (they may leave in one system call) without blocking.
   * {@code onSent} is called exactly once, with {@code null} once all have left or with the failure; it may be called
   * before this method returns. Only one batch is in flight at a time.
   */
  void send(List<OutboundFrame> frames, Consumer<Throwable> onSent);

  /** Closes the connection with an RFC 6455 close code and a short reason; safe to call more than once. */
  void close(int code, String reason);

  /** Since when (System.nanoTime) a write has waited for the client to read, or 0 if none waits. */
  default long blockedSince() {
    return 0;
  }
}
