package dev.capws.websocket.internal.broker;

import java.util.List;
import java.util.Optional;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * Carries committed events (envelopes) to the clients that should receive them, and remembers them for clients that
 * reconnect. The local broker reaches the clients of this instance; the Redis broker those of every instance. Each
 * instance applies the same targeting to its own clients, whichever instance an envelope came from.
 */
public interface Broker extends AutoCloseable {

  /** Hands an envelope over for delivery; never waits for anything but this instance's own fan-out. */
  void publish(Envelope envelope);

  /**
   * Hands the envelopes of one change set over for delivery, in emit order. The local broker queues them together (no
   * other change set's envelope comes between them) and waits for its fan-out once for all of them.
   */
  default void publishAll(List<Envelope> envelopes) {
    envelopes.forEach(this::publish);
  }

  /**
   * Hands an envelope over and returns once the broker has it for good (for the Redis broker: once it is in the
   * stream), for delivery through CAP's outbox, which retries until this succeeds. Handing the same id over again
   * (a retry after a crash) delivers it once.
   *
   * @throws RuntimeException if the broker cannot take it now
   */
  void publishDurably(Envelope envelope, String id);

  /**
   * What was published to the service's clients after {@code position}, oldest first, for every tenant (the caller
   * filters); empty when the history no longer reaches back to it (unknown, expired, or of another epoch).
   */
  Optional<List<Delivery>> since(String serviceName, Position position);

  /** Whether the broker reaches every instance now (the local broker always does). */
  default boolean connected() {
    return true;
  }

  /** This instance's fan-out, for the meters. */
  default FanOutStats fanOutStats() {
    return FanOutStats.NONE;
  }

  /** Events dropped because the broker could not take them (e.g. Redis away for too long). */
  default long droppedEvents() {
    return 0;
  }

  @Override
  void close();
}
