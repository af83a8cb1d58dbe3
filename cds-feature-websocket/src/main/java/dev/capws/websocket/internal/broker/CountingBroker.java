package dev.capws.websocket.internal.broker;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/** A broker that counts what is published through it, for the meter {@code cds.websocket.events.published}. */
public final class CountingBroker implements Broker {

  private final Broker broker;
  private final LongAdder published = new LongAdder();

  public CountingBroker(Broker broker) {
    this.broker = broker;
  }

  @Override
  public void publish(Envelope envelope) {
    published.increment();
    broker.publish(envelope);
  }

  @Override
  public void publishAll(List<Envelope> envelopes) {
    published.add(envelopes.size());
    broker.publishAll(envelopes);
  }

  @Override
  public void publishDurably(Envelope envelope, String id) {
    broker.publishDurably(envelope, id);
    published.increment(); // once it is taken: the outbox retries failures
  }

  @Override
  public Optional<List<Delivery>> since(String serviceName, Position position) {
    return broker.since(serviceName, position);
  }

  @Override
  public boolean connected() {
    return broker.connected();
  }

  @Override
  public long droppedEvents() {
    return broker.droppedEvents();
  }

  @Override
  public FanOutStats fanOutStats() {
    return broker.fanOutStats();
  }

  public long published() {
    return published.sum();
  }

  @Override
  public void close() {
    broker.close();
  }
}
