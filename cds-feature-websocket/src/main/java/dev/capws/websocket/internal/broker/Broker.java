package dev.capws.websocket.internal.broker;

import java.util.List;
import java.util.Optional;

import dev.capws.websocket.internal.targeting.Envelope;

/**
 * Carries committed events (envelopes) to the clients that should receive them, and remembers them for clients that
 * reconnect. The local broker reaches the clients of this instance; the Redis broker those of every instance. Each
 * instance applies the same targeting to its own clients, whichever instance an envelope came from.
 */
public interface Broker extends AutoCloseable {

  /** Hands an envelope over for delivery; never waits for anything but this instance's own fan-out. */
  void publish(Envelope envelope);

  /**
   * What was published to the service's clients after {@code position}, oldest first, for every tenant (the caller
   * filters); empty when the history no longer reaches back to it (unknown, expired, or of another epoch).
   */
  Optional<List<Delivery>> since(String serviceName, Position position);

  @Override
  void close();
}
