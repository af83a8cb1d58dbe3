package dev.capws.websocket.broker;

/**
 * Carries committed broadcasts to the clients that should receive them. The local broker reaches the clients of this
 * instance; a distributed broker (Redis, later) also reaches those of the other instances.
 */
public interface Broker extends AutoCloseable {

  /** Hands a broadcast over for delivery and returns at once. */
  void publish(Broadcast broadcast);

  @Override
  void close();
}
