package dev.capws.websocket.spi;

/**
 * Another way for events to cross instances, next to the built-in {@code local} and {@code redis} brokers: a message
 * system such as NATS, Kafka or a database's notifications. Chosen with {@code cds.websocket.broker: <name>};
 * applications add engines by listing implementations in {@code META-INF/services/dev.capws.websocket.spi.BrokerEngine}.
 *
 * <p>An engine only moves opaque messages. The plugin writes each committed event as one {@link BrokerMessage} and,
 * on every instance, reads what the engine hands back: it applies the targeting to its own clients, delivers an id
 * once, keeps "all but the sender" to the sending instance, and filters catch-ups per client as live delivery
 * would.
 */
public interface BrokerEngine {

  /** The value of {@code cds.websocket.broker} that selects this engine. */
  String name();

  /** Connects this instance; called once per CAP runtime, closed when the runtime stops. */
  MessageBus open(BrokerContext context);
}
