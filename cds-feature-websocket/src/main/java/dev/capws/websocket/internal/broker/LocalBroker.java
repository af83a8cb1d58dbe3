package dev.capws.websocket.internal.broker;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * The broker of a single instance: envelopes go straight to this instance's fan-out. Services with recovery keep
 * their recent events in memory ({@link LocalHistory}), so a client that reconnects to this instance gets what it
 * missed.
 */
public final class LocalBroker implements Broker {

  private final FanOut fanOut;
  private final LocalHistory history;

  /** Without history: no event is positioned. */
  public LocalBroker(ConnectionRegistry registry, FanOutBound bound) {
    this(new FanOut(registry, bound), null);
  }

  /** Without history, with a shorter wait for room (for tests). */
  LocalBroker(ConnectionRegistry registry, FanOutBound bound, long maxWaitMillis) {
    this(new FanOut(registry, bound, maxWaitMillis), null);
  }

  private LocalBroker(FanOut fanOut, LocalHistory history) {
    this.fanOut = fanOut;
    this.history = history;
  }

  /**
   * @param bound        how far the fan-out may fall behind before emitters wait
   * @param maxEvents    events kept per service with recovery
   * @param maxAgeMillis how long they are kept
   */
  public static LocalBroker withHistory(ConnectionRegistry registry, FanOutBound bound, int maxEvents,
      long maxAgeMillis) {
    return new LocalBroker(new FanOut(registry, bound),
        new LocalHistory(maxEvents, maxAgeMillis, Clock.systemUTC()));
  }

  @Override
  public void publish(Envelope envelope) {
    fanOut.submit(delivery(envelope));
  }

  /** The change set's envelopes go to the fan-out in one piece: no other change set's event comes between them. */
  @Override
  public void publishAll(List<Envelope> envelopes) {
    fanOut.submit(envelopes.stream().map(this::delivery).toList());
  }

  /** Made when it is queued: a position is taken in queue order. */
  private Supplier<Delivery> delivery(Envelope envelope) {
    if (history != null && envelope.positioned()) {
      return () -> history.append(envelope);
    }
    return () -> new Delivery(envelope, null);
  }

  /** This instance's fan-out is as durable as the local broker gets: its clients are in this process. */
  @Override
  public void publishDurably(Envelope envelope, String id) {
    publish(envelope);
  }

  @Override
  public Optional<List<Delivery>> since(String serviceName, Position position) {
    return history == null ? Optional.empty() : history.since(serviceName, position);
  }

  @Override
  public FanOutStats fanOutStats() {
    return fanOut.stats();
  }

  @Override
  public void close() {
    fanOut.close();
  }
}
