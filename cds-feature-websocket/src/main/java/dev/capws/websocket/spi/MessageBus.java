package dev.capws.websocket.spi;

import java.util.List;
import java.util.Optional;

/**
 * One instance's connection to a {@link BrokerEngine}'s message system. Every message published, by any instance,
 * must be handed to {@link BrokerContext#receive} on every instance, this one included, and the messages of one
 * instance in the order it published them. Implementations are thread-safe.
 */
public interface MessageBus extends AutoCloseable {

  /**
   * Sends a message to every instance. Called on the thread that committed the event: must not wait on the network
   * (buffer, and send from a thread of the engine's own).
   */
  void publish(BrokerMessage message);

  /**
   * Sends a message and returns once the message system holds it for good; used with
   * {@code cds.websocket.outbox}, whose retries may publish an id twice (the plugin delivers an id once).
   *
   * @throws RuntimeException if it cannot be stored now (the outbox retries)
   */
  default void publishDurably(BrokerMessage message) {
    throw new UnsupportedOperationException("This broker engine does not publish durably");
  }

  /**
   * The messages of a service published after {@code position}, oldest first, each with its position; empty when the
   * engine keeps no history or it no longer reaches back to that position (the client is told
   * {@code recovered: false}).
   */
  default Optional<List<PositionedMessage>> since(String service, Position position) {
    return Optional.empty();
  }

  /** Stops: sends what waits if it can, receives nothing more. */
  @Override
  void close();
}
