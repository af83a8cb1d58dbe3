package dev.capws.websocket.internal.broker;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.environment.CdsEnvironment;

import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.BrokerContext;
import dev.capws.websocket.spi.BrokerEngine;
import dev.capws.websocket.spi.BrokerMessage;
import dev.capws.websocket.spi.MessageBus;
import dev.capws.websocket.spi.Position;

/**
 * The broker over an application's {@link BrokerEngine}: envelopes go out as opaque messages, and what the engine
 * hands back is read, de-duplicated by id and delivered to this instance's clients like any envelope, with "all but
 * the sender" applied only where the sender is.
 */
public final class EngineBroker implements Broker, BrokerContext {

  private static final Logger LOG = LoggerFactory.getLogger(EngineBroker.class);
  private static final int RECENT_IDS = 10_000;

  private final FanOut fanOut;
  private final CdsEnvironment environment;
  private final List<String> services;
  private final String instance = UUID.randomUUID().toString();
  private final RecentIds recent = new RecentIds(RECENT_IDS);
  private final MessageBus bus;

  public EngineBroker(ConnectionRegistry registry, FanOutBound bound, BrokerEngine engine, CdsEnvironment environment,
      List<String> services) {
    this.fanOut = new FanOut(registry, bound);
    this.environment = environment;
    this.services = List.copyOf(services);
    this.bus = engine.open(this);
  }

  @Override
  public void publish(Envelope envelope) {
    bus.publish(message(envelope, UUID.randomUUID().toString()));
  }

  @Override
  public void publishDurably(Envelope envelope, String id) {
    bus.publishDurably(message(envelope, id));
  }

  private BrokerMessage message(Envelope envelope, String id) {
    return new BrokerMessage(id, envelope.serviceName(), instance, EnvelopeCodec.write(envelope));
  }

  @Override
  public Optional<List<Delivery>> since(String serviceName, Position position) {
    return bus.since(serviceName, position).map(messages -> messages.stream()
        .flatMap(stored -> envelope(stored.message()).map(e -> new Delivery(e, stored.position())).stream())
        .toList());
  }

  @Override
  public void receive(BrokerMessage message, Position position) {
    if (recent.first(message.id())) {
      envelope(message).ifPresent(envelope -> fanOut.submit(() -> new Delivery(envelope, position)));
    }
  }

  /** The envelope of a message, as it applies here; empty (with a log line) if the body is not one. */
  private Optional<Envelope> envelope(BrokerMessage message) {
    try {
      Envelope envelope = EnvelopeCodec.read(message.body());
      return Optional.of(instance.equals(message.origin()) ? envelope : envelope.withoutExcept());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipped broker message {} of {}: not an envelope ({})", message.id(), message.service(),
          e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String instance() {
    return instance;
  }

  @Override
  public List<String> services() {
    return services;
  }

  @Override
  public CdsEnvironment environment() {
    return environment;
  }

  /** Closes the engine's connection first (it may still hand over what it has), then delivers what was handed. */
  @Override
  public FanOutStats fanOutStats() {
    return fanOut.stats();
  }

  @Override
  public void close() {
    bus.close();
    fanOut.close();
  }
}
