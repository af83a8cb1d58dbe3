package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.STRICT;
import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static dev.capws.websocket.internal.targeting.TestClients.users;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.ScriptedOutputStream;
import dev.capws.websocket.internal.connection.TestConnections;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.Targeting;
import dev.capws.websocket.spi.Position;
import dev.capws.websocket.test.RedisServer;

/**
 * The Redis broker on a real redis-server process (started once for the class, killed and restarted by some tests):
 * positions, two instances on one Redis, catching up from the stream, Redis going away, the bounded buffer. Each
 * test has a key prefix of its own. Every wait is bounded and waits for a condition.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBrokerTest {

  private static final Pattern N = Pattern.compile("\"n\":(\\d+)");
  private static final Pattern SEQ = Pattern.compile("\"seq\":\"([^\"]+)\"");
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private static RedisServer redis;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> commands;

  private final List<RedisBroker> brokers = new ArrayList<>();
  private final String prefix = "test" + PREFIXES.incrementAndGet();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    client = RedisClient.create(redis.uri());
  }

  @AfterAll
  static void stopRedis() {
    if (commands != null) {
      commands.close();
    }
    if (client != null) {
      client.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeBrokers() {
    redis.restart(); // no-op unless a test left it killed
    brokers.forEach(RedisBroker::close);
  }

  /** The test's own view of Redis (reconnects after a restart). */
  private static synchronized RedisCommands<String, String> redisCommands() {
    if (commands == null || !commands.isOpen()) {
      commands = client.connect();
    }
    return commands.sync();
  }

  /** One instance: a broker and its registry. */
  private final class Instance {
    final ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
    final RedisBroker broker;
    final String name;

    Instance(String name, int bufferSize, long bufferAge) {
      this.name = name;
      this.broker = new RedisBroker(registry, FanOutBound.events(64),
          new RedisSettings(redis.uri(), prefix, 10_000, bufferSize, bufferAge),
          List.of(TARGETED.serviceName(), STRICT.serviceName()));
      brokers.add(broker);
    }

    Instance(String name) {
      this(name, 10_000, 60_000);
    }

    Connection connect(String userName, String identifier) {
      return connect(TARGETED, userName, identifier);
    }

    Connection connect(WebSocketEndpoint endpoint, String userName, String identifier) {
      Connection connection = connection(endpoint, user(userName, "t1"), identifier);
      assertThat(registry.add(connection)).isTrue();
      return connection;
    }

    /**
     * Waits (bounded) until the broker's events go through Redis and come back with a position: publishes markers
     * only a probe client of this instance gets, until one arrives with a seq.
     */
    void awaitReady() throws InterruptedException {
      String probeName = "probe-" + name;
      Connection probe = connect(probeName, null);
      ScriptedOutputStream stream = TestConnections.attach(probe);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (int i = 0; System.nanoTime() < deadline; i++) {
        int before = stream.frames().size();
        long dropped = broker.droppedEvents();
        broker.publish(new Envelope(TARGETED.serviceName(), "t1", "warm",
            "{\"event\":\"warm\",\"data\":{\"n\":" + i + "}}", users(include(probeName)), 0, true));
        if (broker.droppedEvents() > dropped) { // a tiny buffer, full until the reader is ready: try again
          Thread.onSpinWait();
          continue;
        }
        List<String> frames = stream.await(events -> events.stream().filter(e -> !e.equals("flush")).count()
            > before);
        if (frames.size() > 0 && frames.stream().filter(f -> !f.equals("flush")).reduce((a, b) -> b).orElse("")
            .contains("\"seq\"")) {
          probe.leave();
          return;
        }
      }
      throw new AssertionError(name + " did not get an event back from Redis within 15 s");
    }
  }

  private static Envelope tick(int n, Targeting targeting, long except) {
    return new Envelope(TARGETED.serviceName(), "t1", "tick", "{\"event\":\"tick\",\"data\":{\"n\":" + n + "}}",
        targeting, except, true);
  }

  private static Envelope tick(int n) {
    return tick(n, everyone(), 0);
  }

  private static int n(String frame) {
    Matcher matcher = N.matcher(frame);
    assertThat(matcher.find()).as(frame).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static String seq(String frame) {
    Matcher matcher = SEQ.matcher(frame);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static List<Integer> ns(List<String> frames) {
    return frames.stream().filter(f -> f.contains("\"event\":\"tick\"")).map(RedisBrokerTest::n).toList();
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      numbers.add(i);
    }
    return numbers;
  }

  /** Waits for the tick frame with this number; returns every frame then (without the flushes). */
  private static List<String> awaitTick(ScriptedOutputStream stream, int n) throws InterruptedException {
    return stream.await(events -> events.stream().anyMatch(e -> e.contains("\"event\":\"tick\"")
        && e.contains("\"n\":" + n + "}"))).stream().filter(e -> !e.equals("flush")).toList();
  }

  /** Polls (bounded, 10 s) a condition that no callback reports. */
  private static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  @Test
  @DisplayName("Scale-out: a published envelope reaches the registry's clients with its stream position as seq")
  void publishWithPosition() throws InterruptedException {
    Instance a = new Instance("a");
    Connection alice = a.connect("alice", null);
    Connection bob = a.connect("bob", null);
    ScriptedOutputStream aliceStream = TestConnections.attach(alice);
    ScriptedOutputStream bobStream = TestConnections.attach(bob);
    a.awaitReady();

    a.broker.publish(tick(1));
    a.broker.publish(tick(2, users(include("bob")), 0));
    a.broker.publish(new Envelope(TARGETED.serviceName(), "t1", "tick", "{\"event\":\"tick\",\"data\":{\"n\":3}}",
        everyone(), 0, false)); // not positioned
    List<String> frames = awaitTick(aliceStream, 3);
    assertThat(ns(frames)).containsExactly(1, 3);
    assertThat(ns(awaitTick(bobStream, 3))).containsExactly(1, 2, 3);

    String seq = seq(frames.get(0));
    Position position = Position.parse(seq);
    assertThat(position).as("seq %s is <epoch>:<ms>-<seq>", seq).isNotNull();
    assertThat(position.epoch()).isEqualTo(redisCommands().get(prefix + ":epoch"));
    assertThat(position.major()).as("stream IDs are milliseconds").isGreaterThan(1_600_000_000_000L);
    List<StreamMessage<String, String>> entry = redisCommands().xrange(prefix + ":stream:"
        + TARGETED.serviceName(), Range.create(position.streamId(), position.streamId()));
    assertThat(entry).hasSize(1);
    assertThat(entry.get(0).getBody().get("envelope")).contains("\\\"n\\\":1");
    assertThat(seq(frames.get(1))).as("not positioned: no seq").isNull();
    assertThat(frames.get(0)).endsWith(",\"seq\":\"" + seq + "\"}");
  }

  @Test
  @DisplayName("Scale-out: two instances on one Redis: each delivers to its own clients with the same targeting and "
      + "position; 'all but the sender' applies on the sender's instance only")
  void twoInstances() throws InterruptedException {
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    Connection a1 = a.connect("alice", "a-1");
    Connection b1 = b.connect("alice", "b-1");
    Connection b2 = b.connect("bob", "b-2");
    Connection bStrict = b.connect(STRICT, "alice", null);
    ScriptedOutputStream a1Stream = TestConnections.attach(a1);
    ScriptedOutputStream b1Stream = TestConnections.attach(b1);
    ScriptedOutputStream b2Stream = TestConnections.attach(b2);
    ScriptedOutputStream strictStream = TestConnections.attach(bStrict);
    a.awaitReady();
    b.awaitReady();

    a.broker.publish(tick(1));
    a.broker.publish(tick(2, users(include("bob")), 0));
    a.broker.publish(tick(3, everyone(), a1.id())); // the sender is a1
    a.broker.publish(tick(4, everyone(), b1.id())); // an id only B knows: B must ignore it, as any except
    b.broker.publish(tick(5, users(include("alice")), 0));
    for (int i = 6; i <= 30; i++) {
      a.broker.publish(tick(i));
    }

    List<String> onA = awaitTick(a1Stream, 30);
    List<String> onB1 = awaitTick(b1Stream, 30);
    List<String> onB2 = awaitTick(b2Stream, 30);
    assertThat(ns(onA)).as("a1 is excepted from 3 on its own instance").doesNotContain(2, 3).contains(4, 5);
    assertThat(ns(onB1)).as("except is ignored on the other instance").contains(1, 3, 4, 5).doesNotContain(2);
    assertThat(ns(onB2)).contains(1, 2, 3, 4).doesNotContain(5);
    List<Integer> fromA = new ArrayList<>(range(1, 30));
    fromA.remove(Integer.valueOf(5));
    assertThat(ns(onB1).stream().filter(n -> n != 5).toList()).as("A's events in A's order on B")
        .isEqualTo(fromA.stream().filter(n -> n != 2).toList());
    assertThat(ns(onB2)).isEqualTo(fromA);
    assertThat(strictStream.frames()).as("another service's clients get nothing").isEmpty();

    // the same event has the same position on both instances
    String seqOnA = onA.stream().filter(f -> n(f) == 1).map(RedisBrokerTest::seq).findFirst().orElseThrow();
    String seqOnB = onB2.stream().filter(f -> n(f) == 1).map(RedisBrokerTest::seq).findFirst().orElseThrow();
    assertThat(seqOnA).isNotNull().isEqualTo(seqOnB);
    // and each got each event once
    assertThat(ns(onA)).doesNotHaveDuplicates();
    assertThat(ns(onB1)).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("Scale-out: since() answers from the stream on any instance; it refuses a trimmed, unknown or "
      + "foreign-epoch position")
  void sinceFromTheStream() throws InterruptedException {
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    Connection alice = a.connect("alice", null);
    ScriptedOutputStream stream = TestConnections.attach(alice);
    a.awaitReady();
    b.awaitReady();
    for (int i = 1; i <= 5; i++) {
      a.broker.publish(tick(i, everyone(), i == 4 ? alice.id() : 0));
    }
    a.broker.publish(tick(6));
    List<String> frames = awaitTick(stream, 6);
    List<Position> positions = frames.stream().filter(f -> f.contains("\"event\":\"tick\""))
        .map(f -> Position.parse(seq(f))).toList();
    assertThat(positions).hasSize(5).doesNotContainNull().isSorted(); // 4 excepted alice
    Position first = positions.get(0);

    Optional<List<Delivery>> onA = a.broker.since(TARGETED.serviceName(), first);
    assertThat(onA).isPresent();
    assertThat(onA.get()).extracting(d -> n(d.envelope().frame())).containsExactly(2, 3, 4, 5, 6);
    assertThat(onA.get()).extracting(Delivery::position).isSorted().contains(positions.get(1), positions.get(4));
    assertThat(onA.get().get(2).envelope().except()).as("the sender's instance keeps except").isEqualTo(alice.id());

    Optional<List<Delivery>> onB = b.broker.since(TARGETED.serviceName(), first);
    assertThat(onB).isPresent();
    assertThat(onB.get()).extracting(Delivery::position).isEqualTo(onA.get().stream().map(Delivery::position)
        .toList());
    assertThat(onB.get().get(2).envelope().except()).as("another instance ignores except").isZero();
    assertThat(onB.get().get(0).frame()).endsWith(",\"seq\":\"" + onB.get().get(0).position() + "\"}");

    Position last = positions.get(positions.size() - 1);
    assertThat(b.broker.since(TARGETED.serviceName(), last)).hasValue(List.of());
    assertThat(b.broker.since(TARGETED.serviceName(), new Position("0123456789ab", first.major(), first.minor())))
        .as("another epoch").isEmpty();
    assertThat(b.broker.since(TARGETED.serviceName(), new Position(first.epoch(), first.major(), first.minor() + 1000)))
        .as("a position that was never given").isEmpty();
    assertThat(b.broker.since(STRICT.serviceName(), first)).as("not in that service's stream").isEmpty();

    // trim the stream to its last entry: positions before it are gone
    redisCommands().xtrim(prefix + ":stream:" + TARGETED.serviceName(), 1);
    assertThat(b.broker.since(TARGETED.serviceName(), first)).as("trimmed").isEmpty();
    assertThat(a.broker.since(TARGETED.serviceName(), positions.get(3))).as("trimmed").isEmpty();
    Optional<List<Delivery>> kept = a.broker.since(TARGETED.serviceName(), positions.get(4)); // still there
    assertThat(kept).isPresent();
    assertThat(kept.get()).isEmpty();
  }

  @Test
  @DisplayName("Scale-out: Redis killed while publishing: the publisher's own clients get the events at once; after "
      + "the restart the other instance gets every one of them once, in order")
  void redisGoesAway() throws InterruptedException {
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    ScriptedOutputStream onA = TestConnections.attach(a.connect("alice", null));
    ScriptedOutputStream onB = TestConnections.attach(b.connect("bob", null));
    a.awaitReady();
    b.awaitReady();
    a.broker.publish(tick(0));
    awaitTick(onB, 0);

    redis.kill();
    for (int i = 1; i <= 20; i++) {
      a.broker.publish(tick(i));
    }
    List<String> whileAway = awaitTick(onA, 20);
    assertThat(ns(whileAway)).as("own clients at once").isEqualTo(range(0, 20));
    assertThat(whileAway.stream().filter(f -> f.contains("\"n\":20}")).map(RedisBrokerTest::seq))
        .as("delivered without Redis: no position").containsOnlyNulls();
    assertThat(ns(onB.frames())).as("the other instance cannot have them yet").containsExactly(0);

    redis.restart();
    List<String> afterwards = awaitTick(onB, 20);
    assertThat(ns(afterwards)).isEqualTo(range(0, 20));
    afterwards.stream().filter(f -> f.contains("\"event\":\"tick\"")).forEach(f -> assertThat(seq(f))
        .as("read from the stream: positioned: %s", f).isNotNull());

    // a last event through Redis: once it is there, anything doubled would be there too
    a.broker.publish(tick(21));
    assertThat(ns(awaitTick(onB, 21))).isEqualTo(range(0, 21));
    assertThat(ns(awaitTick(onA, 21))).as("A's clients do not get the buffered events twice")
        .isEqualTo(range(0, 21));
    assertThat(a.broker.droppedEvents()).isZero();
  }

  @Test
  @DisplayName("Scale-out: beyond buffer-size events waiting for Redis are dropped and counted; the buffered ones "
      + "reach the other instance")
  void bufferSize() throws InterruptedException {
    Instance a = new Instance("a", 3, 60_000);
    Instance b = new Instance("b");
    ScriptedOutputStream onA = TestConnections.attach(a.connect("alice", null));
    ScriptedOutputStream onB = TestConnections.attach(b.connect("bob", null));
    a.awaitReady();
    b.awaitReady();

    long before = a.broker.droppedEvents(); // the warm-up may have filled the buffer before the reader was ready

    redis.kill();
    for (int i = 1; i <= 10; i++) {
      a.broker.publish(tick(i));
    }
    assertThat(a.broker.droppedEvents()).isEqualTo(before + 7);
    awaitTick(onA, 3);

    redis.restart();
    assertThat(ns(awaitTick(onB, 3))).containsExactly(1, 2, 3);
    a.broker.publish(tick(11)); // the buffer has room again
    assertThat(ns(awaitTick(onB, 11))).containsExactly(1, 2, 3, 11);
    assertThat(a.broker.droppedEvents()).isEqualTo(before + 7);
    assertThat(b.broker.droppedEvents()).isZero();
    assertThat(ns(awaitTick(onA, 11))).startsWith(1, 2, 3).endsWith(11).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("Scale-out: while Redis is away, the emitting instance's own clients get every event, dropped or not")
  void droppedEventsStillReachOwnClients() throws InterruptedException {
    Instance a = new Instance("a", 3, 60_000);
    ScriptedOutputStream onA = TestConnections.attach(a.connect("alice", null));
    a.awaitReady();
    redis.kill();
    for (int i = 1; i <= 10; i++) {
      a.broker.publish(tick(i));
    }
    assertThat(ns(awaitTick(onA, 10))).isEqualTo(range(1, 10));
  }

  @Test
  @DisplayName("Scale-out: events older than buffer-age while Redis is away are dropped and counted")
  void bufferAge() throws InterruptedException {
    Instance a = new Instance("a", 100, 200);
    Instance b = new Instance("b");
    ScriptedOutputStream onA = TestConnections.attach(a.connect("alice", null));
    ScriptedOutputStream onB = TestConnections.attach(b.connect("bob", null));
    a.awaitReady();
    b.awaitReady();
    redis.kill();
    a.broker.publish(tick(1));
    a.broker.publish(tick(2));
    assertThat(ns(awaitTick(onA, 2))).as("own clients got them").containsExactly(1, 2);
    awaitCondition("both events aged out", () -> a.broker.droppedEvents() == 2);

    redis.restart();
    a.broker.publish(tick(3));
    assertThat(ns(awaitTick(onB, 3))).containsExactly(3);
  }

  @Test
  @DisplayName("Scale-out: a Redis that restarts without its data starts a new epoch: old positions are refused, "
      + "new events are read from the new streams' start")
  void newEpoch() throws InterruptedException {
    Instance a = new Instance("a");
    Instance b = new Instance("b");
    ScriptedOutputStream onA = TestConnections.attach(a.connect("alice", null));
    ScriptedOutputStream onB = TestConnections.attach(b.connect("bob", null));
    a.awaitReady();
    b.awaitReady();
    a.broker.publish(tick(1));
    Position old = Position.parse(seq(awaitTick(onB, 1).stream().filter(f -> f.contains("\"n\":1}")).findFirst()
        .orElseThrow()));
    awaitTick(onA, 1);

    redis.kill();
    redis.wipe();
    redis.restart();
    a.broker.publish(tick(2));
    List<String> frames = awaitTick(onB, 2);
    assertThat(ns(frames)).containsExactly(1, 2);
    Position fresh = Position.parse(seq(frames.get(frames.size() - 1)));
    assertThat(fresh).isNotNull();
    assertThat(fresh.epoch()).isNotEqualTo(old.epoch());
    assertThat(a.broker.since(TARGETED.serviceName(), old)).isEmpty();
    assertThat(b.broker.since(TARGETED.serviceName(), fresh)).hasValue(List.of());
  }

  /** Waits (bounded) until some client of the Redis server runs this command, as CLIENT LIST shows it. */
  private static void awaitCommand(String command) {
    awaitCondition("a client running " + command,
        () -> redisCommands().clientList().contains(" cmd=" + command + " ")
            || redisCommands().clientList().contains(" cmd=" + command + "\n"));
  }

  /**
   * The reader reports itself ready (the publisher starts adding to the streams) once it knows the epoch, before it
   * has found where each stream stands; an event added to a stream meanwhile is read past, and this instance's own
   * clients never get it. The window is one XREVRANGE per service: with many services it is wide enough to publish
   * into, found through CLIENT LIST.
   */
  @Test
  @DisplayName("Scale-out: an event published while the broker starts is not lost")
  void startupWindow() throws InterruptedException {
    List<String> services = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      services.add("Quiet" + i);
    }
    services.add(TARGETED.serviceName()); // found last
    ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
    Connection alice = connection(TARGETED, user("alice", "t1"), null);
    assertThat(registry.add(alice)).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(alice);
    // Without the wait for the reader that the broker does at start (which closes this window while Redis answers
    // within it): the window as it is when Redis is slow to answer.
    RedisBroker broker = new RedisBroker(registry, FanOutBound.events(64),
        new RedisSettings(redis.uri(), prefix, 10_000, 10_000, 60_000), services, 0);
    brokers.add(broker);

    awaitCommand("xrevrange"); // the reader knows the epoch and is finding where the streams stand
    broker.publish(tick(1));
    awaitCommand("xread"); // it is reading
    broker.publish(tick(2));
    assertThat(ns(awaitTick(stream, 2))).containsExactly(1, 2);
  }
}
