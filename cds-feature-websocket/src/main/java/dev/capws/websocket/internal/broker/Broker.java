package dev.capws.websocket.internal.broker;

import dev.capws.websocket.internal.targeting.Envelope;

/**
 * Carries committed events (envelopes) to the clients that should receive them. The local broker reaches the clients of this
 * instance; a distributed broker (Redis, later) also reaches those of the other instances.
 */
public interface Broker extends AutoCloseable {

  /** Hands an envelope over for delivery. */
  void publish(Envelope envelope);

  @Override
  void close();
}
