package dev.capws.websocket.internal.broker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * Reads every service's stream from where it last read, on a thread of its own, and hands the envelopes to this
 * instance's fan-out with their positions; after Redis was away it resumes there, so nothing published meanwhile is
 * missed (unless the stream was trimmed past it). It also answers what a reconnecting client missed, from the
 * stream.
 */
final class StreamReader {

  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
  private static final long READ_BLOCK_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final int RECENT_IDS = 10_000;

  private final RedisLink link;
  /** For recovery reads, which must not wait behind the blocking read. */
  private final RedisLink queries;
  private final StreamKeys keys;
  private final RedisSettings settings;
  private final FanOut fanOut;
  private final String origin;
  private final StreamPublisher ownEnvelopes;
  private final List<String> services;
  private final Map<String, String> lastRead = new ConcurrentHashMap<>();
  /** Ids of the entries read lately: an envelope added twice (an outbox retry after a crash) is delivered once. */
  private final RecentIds recent = new RecentIds(RECENT_IDS);
  private final Thread thread;
  private final CountDownLatch firstSync = new CountDownLatch(1);
  private volatile String epoch;
  private volatile boolean closed;

  StreamReader(RedisLink link, RedisLink queries, StreamKeys keys, RedisSettings settings, FanOut fanOut,
      String origin, StreamPublisher ownEnvelopes, List<String> services) {
    this.link = link;
    this.queries = queries;
    this.keys = keys;
    this.settings = settings;
    this.fanOut = fanOut;
    this.origin = origin;
    this.ownEnvelopes = ownEnvelopes;
    this.services = services;
    this.thread = new Thread(this::run, "ws-redis-read");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the reader knows where each stream stands: before that, what is published might be read past. */
  boolean ready() {
    return epoch != null;
  }

  /**
   * Waits, at most {@code millis}, until the reader knows where each stream stands, so that an instance that starts
   * while Redis is up serves catch-ups and reads every event from its first client on; with Redis down it goes on
   * without (and joins when Redis comes).
   */
  boolean awaitReady(long millis) {
    try {
      return services.isEmpty() || firstSync.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ready();
    }
  }

  private void run() {
    if (services.isEmpty()) {
      return;
    }
    long backoff = 50;
    boolean synced = false;
    while (!closed) {
      try {
        if (!synced) {
          sync();
          synced = true;
        }
        List<StreamMessage<String, String>> messages = link.run(redis -> redis.xread(
            XReadArgs.Builder.block(READ_BLOCK_MILLIS).count(256), offsets()));
        if (messages != null) {
          messages.forEach(this::receive);
        }
        backoff = 50;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        synced = false;
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  /**
   * After a (re)connect: learns the epoch, and where to read from. The same epoch means Redis kept its data: reading
   * resumes after the last entry read. A new one means it lost it: the new streams are read from their start.
   */
  private void sync() {
    String current = link.run(redis -> {
      redis.set(keys.epoch(), UUID.randomUUID().toString().replace("-", "").substring(0, 12), SetArgs.Builder.nx());
      return redis.get(keys.epoch());
    });
    if (epoch != null && !epoch.equals(current)) {
      LOG.warn("Redis lost its data (new epoch {}): clients catching up from before get recovered=false", current);
      ownEnvelopes.lostInRedis();
      lastRead.clear();
      services.forEach(service -> lastRead.put(service, "0-0"));
    }
    for (String service : services) {
      lastRead.computeIfAbsent(service, s -> link.run(redis -> {
        List<StreamMessage<String, String>> newest = redis.xrevrange(keys.stream(s), Range.create("-", "+"),
            Limit.create(0, 1));
        return newest.isEmpty() ? "0-0" : newest.get(0).getId();
      }));
    }
    epoch = current; // ready only now: what is added from here on is read
    firstSync.countDown();
  }

  @SuppressWarnings("unchecked")
  private StreamOffset<String>[] offsets() {
    return services.stream().map(s -> StreamOffset.from(keys.stream(s), lastRead.get(s)))
        .toArray(StreamOffset[]::new);
  }

  private void receive(StreamMessage<String, String> message) {
    String service = keys.service(message.getStream());
    lastRead.put(service, message.getId());
    Optional<Envelope> envelope = decode(message);
    String id = message.getBody().get("id");
    if (envelope.isEmpty() || !recent.first(id)) {
      return;
    }
    Position position = Position.ofStreamId(epoch, message.getId());
    Runnable deliver = () -> fanOut.submit(() -> new Delivery(envelope.get(), position));
    if (origin.equals(message.getBody().get("origin"))) {
      ownEnvelopes.readBack(id, deliver);
    } else {
      deliver.run();
    }
  }

  /** The envelope of an entry, as it applies here: "all but the sender" only where the sender is. */
  private Optional<Envelope> decode(StreamMessage<String, String> message) {
    try {
      Envelope envelope = EnvelopeCodec.read(message.getBody().get("envelope"));
      return Optional.of(origin.equals(message.getBody().get("origin")) ? envelope : envelope.withoutExcept());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipped stream entry {} of {}: not an envelope ({})", message.getId(), message.getStream(),
          e.getMessage());
      return Optional.empty();
    }
  }

  Optional<List<Delivery>> since(String serviceName, Position position) {
    String current = epoch;
    if (current == null || !current.equals(position.epoch())) {
      return Optional.empty();
    }
    try {
      List<StreamMessage<String, String>> entries = queries.run(redis -> redis.xrange(keys.stream(serviceName),
          Range.create(position.streamId(), "+"), Limit.from(settings.streamLength() + 1L)));
      // The position itself must still be in the stream: otherwise what followed it may have been trimmed away.
      if (entries.isEmpty() || !entries.get(0).getId().equals(position.streamId())) {
        return Optional.empty();
      }
      List<Delivery> after = new ArrayList<>();
      for (StreamMessage<String, String> entry : entries.subList(1, entries.size())) {
        decode(entry).ifPresent(envelope -> after.add(new Delivery(envelope, Position.ofStreamId(current,
            entry.getId()))));
      }
      return Optional.of(after);
    } catch (RuntimeException e) {
      LOG.debug("Catching up from {} failed: Redis unreachable", position, e);
      return Optional.empty();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // a reconnect backoff, not a synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void close() {
    closed = true;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
