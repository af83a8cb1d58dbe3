package dev.capws.websocket.internal.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * The broker of many instances: every committed envelope goes into its service's Redis stream
 * ({@link StreamPublisher}), and every instance reads every stream and delivers to its own clients, its own envelopes
 * included ({@link StreamReader}), applying the same targeting as for a local event. The stream is also the history
 * clients catch up from; a position is a stream entry's ID in the current epoch, a key that is new whenever Redis
 * starts without its data.
 */
public final class RedisBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** How long a starting instance waits for Redis before it serves without it (and joins when Redis comes). */
  private static final long JOIN_WAIT_MILLIS = 3_000;

  private final FanOut fanOut;
  private final ClientResources resources;
  private final RedisLink writing;
  private final RedisLink reading;
  private final StreamPublisher publisher;
  private volatile StreamReader reader;

  /** @param services the qualified names of the services whose streams this instance reads */
  public RedisBroker(ConnectionRegistry registry, FanOutBound bound, RedisSettings settings,
      Collection<String> services) {
    this(registry, bound, settings, services, JOIN_WAIT_MILLIS);
  }

  /** @param joinWaitMillis how long to wait for the reader to know where the streams stand (tests: 0) */
  RedisBroker(ConnectionRegistry registry, FanOutBound bound, RedisSettings settings, Collection<String> services,
      long joinWaitMillis) {
    this.fanOut = new FanOut(registry, bound);
    // One I/O thread for both links: each event costs a wake-up per thread it passes, and two connections do not
    // keep one event loop busy (the blocking read waits in Redis, not on the thread).
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.writing = new RedisLink(resources, settings.uri(), "publishing", TIMEOUT);
    this.reading = new RedisLink(resources, settings.uri(), "reading", TIMEOUT);
    String origin = UUID.randomUUID().toString();
    StreamKeys keys = new StreamKeys(settings.keyPrefix());
    this.publisher = new StreamPublisher(writing, keys, settings, fanOut, origin, this::readerReady);
    reader = new StreamReader(reading, writing, keys, settings, fanOut, origin, publisher,
        List.copyOf(services));
    if (joinWaitMillis > 0 && !reader.awaitReady(joinWaitMillis)) {
      // No URI in the line: it may carry a password.
      LOG.warn("Redis is not reachable: serving this instance's clients, joining the others when Redis comes");
    }
  }

  private boolean readerReady() {
    StreamReader current = reader;
    return current != null && current.ready();
  }

  @Override
  public void publish(Envelope envelope) {
    publisher.publish(envelope);
  }

  @Override
  public void publishAll(List<Envelope> envelopes) {
    publisher.publishAll(envelopes);
  }

  @Override
  public void publishDurably(Envelope envelope, String id) {
    if (!reader.ready()) {
      throw new IllegalStateException("Redis is not reachable yet");
    }
    publisher.add(envelope, id);
  }

  @Override
  public Optional<List<Delivery>> since(String serviceName, Position position) {
    return reader.since(serviceName, position);
  }

  /** Redis answers, and the reader knows where the streams stand. */
  @Override
  public boolean connected() {
    return readerReady() && writing.reachable() && reading.reachable();
  }

  /** Events dropped because Redis was unreachable for too long or for too many. */
  @Override
  public long droppedEvents() {
    return publisher.dropped();
  }

  /** Publishes what waits (for at most 2 s), delivers what was read, then stops. */
  @Override
  public FanOutStats fanOutStats() {
    return fanOut.stats();
  }

  @Override
  public void close() {
    publisher.close();
    reader.close();
    fanOut.close();
    writing.close();
    reading.close();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
