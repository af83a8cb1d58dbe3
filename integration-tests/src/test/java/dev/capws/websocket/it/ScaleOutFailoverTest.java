package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.runtime.CdsRuntime;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.WsClient;

/**
 * S1 and B3 when things fail: Redis killed in the middle of a stream of events and restarted with its data, Redis
 * restarted without its data, an instance stopped with clients on it. Three instances on a Redis server of this
 * class; only the test that stops instance 2 uses it, so the order of the tests does not matter.
 */
class ScaleOutFailoverTest {

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, "scale-out-failover");
    for (int i = 0; i < 3; i++) {
      // The streams of events are requests over one socket, faster than the default 100 messages per second.
      instances.start("cds.websocket.max-messages-per-second=0");
    }
  }

  @AfterAll
  static void stop() {
    instances.close();
    redis.close();
  }

  /**
   * Leaves nothing in flight for the next test: Redis up, and each instance has read what the others emitted (a
   * barrier from instance 0 read by instance 1, then one from instance 1 read by instance 0, to clients without a
   * tenant, which no test's events reach).
   */
  @AfterEach
  void quiet() {
    redis.restart();
    try (WsClient on0 = connect(0, "solo"); WsClient on1 = connect(1, "solo")) {
      Feed.tick(instances.runtime(0), null, -100);
      assertThat(Feed.n(Feed.nextTick(on1))).isEqualTo(-100);
      Feed.tick(instances.runtime(1), null, -101);
      assertThat(Feed.n(on0.next(frame -> Feed.n(frame) == -101))).isEqualTo(-101);
    }
  }

  @Test
  @DisplayName("S1: Redis killed and restarted in the middle of a stream: requests still succeed, the emitting "
      + "instance's client is served meanwhile and misses nothing, the other instance's gets every event once, in order")
  void redisKilledMidStream() {
    int base = 10_000;
    List<Integer> gotZero = new ArrayList<>();
    try (WsClient zero = connect(0, "alice"); WsClient one = connect(1, "carol"); WsClient caller = connect(0, "erin");
        // Each event is its own request to instance 0 (the ticks action over the socket), which must succeed.
        SteadyStream stream = new SteadyStream(base, 200, 500, n -> call(caller, n))) {
      JsonNode beforeKill = readUntil(zero, base + 100, gotZero, stream);

      redis.kill();
      int atKill = stream.emitted();
      // A client catching up while Redis is away cannot: recovered:false (it reloads), at once.
      try (WsClient late = connect(1, "carol", Feed.seq(beforeKill))) {
        Feed.notRecovered(late);
      }
      // Emitted after the kill, handed to instance 0's client while Redis is away.
      readUntil(zero, atKill + 100, gotZero, stream);

      redis.restart();
      int atRestart = stream.emitted();
      readUntil(zero, atRestart + 100, gotZero, stream);
      int last = stream.stop();
      List<Integer> all = IntStream.rangeClosed(base + 1, last).boxed().toList();
      List<Integer> gotOne = new ArrayList<>();
      readUntil(one, last, gotOne, null);
      assertThat(gotOne).as("the client on the other instance").isEqualTo(all);
      // Nothing lost on the emitting instance either (its order and uniqueness around the moment Redis dies: see
      // emittingInstanceAcrossOutage and killedWhileAppending).
      readUntilAll(zero, all, gotZero);
      assertThat(new TreeSet<>(gotZero)).as("the client on the emitting instance").containsExactlyElementsOf(all);
    }
  }

  @Test
  @DisplayName("S1: Redis dies while the emitting instance has not read back its last events: its own clients still "
      + "get every event in commit order")
  void emittingInstanceAcrossOutage() {
    int base = 20_000;
    List<Integer> gotZero = new ArrayList<>();
    try (RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = raw.connect();
        WsClient zero = connect(0, "alice"); WsClient caller = connect(0, "erin");
        SteadyStream stream = new SteadyStream(base, 200, 500, n -> call(caller, n))) {
      readUntil(zero, base + 50, gotZero, stream);

      // The readers lose their connection (their XREAD is killed): for the moment they take to come back (a
      // reconnect pause of 50 ms), what instance 0 adds to the stream is not read. Redis dies then.
      RedisCommands<String, String> commands = connection.sync();
      String key = "scale-out-failover:stream:FeedService";
      long length = commands.xlen(key);
      for (String client : commands.clientList().split("\n")) {
        if (client.contains(" cmd=xread")) {
          commands.clientKill(KillArgs.Builder.id(Long.parseLong(client.substring(3, client.indexOf(' ')))));
        }
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (commands.xlen(key) < length + 3 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(commands.xlen(key)).isGreaterThanOrEqualTo(length + 3);
      redis.kill();
      int atKill = stream.emitted();
      readUntil(zero, atKill + 50, gotZero, stream);

      redis.restart();
      int atRestart = stream.emitted();
      readUntil(zero, atRestart + 50, gotZero, stream);
      int last = stream.stop();
      List<Integer> all = IntStream.rangeClosed(base + 1, last).boxed().toList();
      readUntilAll(zero, all, gotZero);
      // Each where it belongs (an event twice, when Redis died between applying an append and answering it, is
      // killedWhileAppending's subject).
      List<Integer> firstTimes = gotZero.stream().distinct().toList();
      assertThat(firstTimes).as(() -> SteadyStream.describe(firstTimes, firstTimes.stream().map(String::valueOf)
          .toList(), base, last, List.of())).isEqualTo(all);
    }
  }

  @Test
  @DisplayName("S1: Redis killed while the emitting instance appends fast (an append may be applied and its answer "
      + "lost): its own clients still get every event once, in commit order")
  void killedWhileAppending() {
    int base = 30_000;
    List<Integer> gotZero = new ArrayList<>();
    CdsRuntime zero = instances.runtime(0);
    try (WsClient client = connect(0, "alice");
        SteadyStream stream = new SteadyStream(base, 300, 20, n -> Feed.tick(zero, "t1", n))) {
      for (int kill = 1; kill <= 3; kill++) {
        readUntil(client, stream.emitted() + 100, gotZero, stream);
        redis.kill();
        readUntil(client, stream.emitted() + 50, gotZero, stream);
        redis.restart();
      }
      readUntil(client, stream.emitted() + 100, gotZero, stream);
      int last = stream.stop();
      List<Integer> all = IntStream.rangeClosed(base + 1, last).boxed().toList();
      readUntilAll(client, all, gotZero);
      assertThat(gotZero).as(() -> SteadyStream.describe(gotZero, gotZero.stream().map(String::valueOf).toList(),
          base, last, List.of())).isEqualTo(all);
    }
  }

  @Test
  @DisplayName("B3 S1: Redis restarted without its data: a client catching up from before gets recovered:false; "
      + "events flow again, positions of the new epoch catch up")
  void redisLosesItsData() {
    CdsRuntime zero = instances.runtime(0);
    try (WsClient carol = connect(1, "carol")) {
      String before;
      try (WsClient alice = connect(1, "alice")) {
        Feed.tick(zero, "t1", 201);
        before = Feed.seq(Feed.nextTick(alice));
        assertThat(Feed.n(Feed.nextTick(carol))).isEqualTo(201);
      }

      redis.kill();
      redis.wipe();
      redis.restart();

      Feed.tick(zero, "t1", 202);
      JsonNode after = Feed.nextTick(carol);
      assertThat(Feed.n(after)).isEqualTo(202);
      assertThat(Feed.epoch(Feed.seq(after))).isNotEqualTo(Feed.epoch(before));

      try (WsClient alice = connect(1, "alice", before)) {
        Feed.notRecovered(alice);
        Feed.tick(zero, "t1", 203);
        assertThat(Feed.n(Feed.nextTick(alice))).isEqualTo(203);
        String since = Feed.seq(Feed.nextTick(carol));
        carol.close();

        Feed.tick(zero, "t1", 204);
        assertThat(Feed.n(Feed.nextTick(alice))).isEqualTo(204); // witness on instance 1
        try (WsClient again = connect(1, "carol", since)) {
          assertThat(Feed.recovered(again)).isEqualTo(1);
          assertThat(Feed.n(Feed.nextTick(again))).isEqualTo(204);
        }
      }
    }
  }

  @Test
  @DisplayName("B3 S1: an instance stops with clients on it: what it emitted just before still reaches the others; "
      + "its clients reconnect to another with their last seq and catch up, filtered, on what a third emitted")
  void instanceStops() {
    CdsRuntime zero = instances.runtime(0);
    CdsRuntime two = instances.runtime(2);
    WsClient alice = connect(2, "alice");
    WsClient carol = connect(2, "carol");
    try (WsClient witness = connect(1, "erin")) {
      Feed.tick(zero, "t1", 301);
      assertThat(Feed.n(Feed.nextTick(witness))).isEqualTo(301);
      for (int n = 302; n <= 351; n++) {
        Feed.tick(two, "t1", n);
      }
      Feed.privately(two, "t1", 352, "alice");
      instances.stop(2);
      assertThat(alice.awaitClose().code()).isEqualTo(1001);
      assertThat(carol.awaitClose().code()).isEqualTo(1001);
      List<JsonNode> aliceBefore = drain(alice);
      List<JsonNode> carolBefore = drain(carol);

      // What instance 2 emitted just before it stopped reached instance 1.
      assertThat(Feed.nextTicks(witness, 50)).isEqualTo(IntStream.rangeClosed(302, 351).boxed().toList());

      Feed.tick(zero, "t1", 353);
      Feed.privately(zero, "t1", 354, "alice");
      Feed.tick(zero, "t1", 355);
      assertThat(Feed.events(witness, 2)).containsExactly("tick 353", "tick 355");

      List<String> ticks = IntStream.rangeClosed(301, 351).mapToObj(n -> "tick " + n).toList();
      bothCatchUp(1, aliceBefore, with(ticks, "private 352", "tick 353", "private 354", "tick 355"), 1, carolBefore,
          with(ticks, "tick 353", "tick 355"), 356);
    } finally {
      alice.abort();
      carol.abort();
    }
  }

  @Test
  @DisplayName("B3 S1: an instance process is killed (SIGKILL) with clients on it: what it emitted before reached "
      + "the others; its clients, cut off without a close frame, reconnect to another instance with their last seq "
      + "and catch up, filtered, on what was emitted meanwhile")
  void instanceKilled() {
    CdsRuntime zero = instances.runtime(0);
    try (InstanceProcess doomed = InstanceProcess.start(redis.uri(), "scale-out-failover");
        WsClient witness = connect(1, "erin")) {
      WsClient alice = Feed.connect(doomed.port(), "alice");
      WsClient carol = Feed.connect(doomed.port(), "carol");
      WsClient caller = Feed.connect(doomed.port(), "erin");
      try {
        Feed.tick(zero, "t1", 401);
        assertThat(Feed.n(Feed.nextTick(witness))).isEqualTo(401);
        // The doomed instance emits ten ticks (a request of its own clients'); the witness proves they are in Redis.
        caller.send(Map.of("event", "ticks", "data", Map.of("start", 402, "count", 10), "id", 1));
        assertThat(caller.next(frame -> frame.has("id")).path("data").asInt()).isEqualTo(10);
        assertThat(Feed.nextTicks(witness, 10)).isEqualTo(IntStream.rangeClosed(402, 411).boxed().toList());
        List<JsonNode> aliceHad = ticks(alice, 11);
        List<JsonNode> carolHad = ticks(carol, 11);

        doomed.kill();
        assertThat(alice.awaitClose().code()).isEqualTo(1006);
        assertThat(carol.awaitClose().code()).isEqualTo(1006);

        Feed.tick(zero, "t1", 412);
        Feed.privately(zero, "t1", 413, "alice");
        Feed.tick(zero, "t1", 414);
        assertThat(Feed.events(witness, 2)).containsExactly("tick 412", "tick 414");

        List<String> had = IntStream.rangeClosed(401, 411).mapToObj(n -> "tick " + n).toList();
        bothCatchUp(1, aliceHad, with(had, "tick 412", "private 413", "tick 414"), 0, carolHad,
            with(had, "tick 412", "tick 414"), 415);
      } finally {
        alice.abort();
        carol.abort();
        caller.abort();
      }
    }
  }

  /**
   * alice and carol (of tenant t1), cut off from their instance, reconnect to the instances given with the seq of
   * the last frame they had and catch up on exactly what they missed; then tick {@code live} reaches both.
   */
  private static void bothCatchUp(int aliceAt, List<JsonNode> aliceHad, List<String> forAlice, int carolAt,
      List<JsonNode> carolHad, List<String> forCarol, int live) {
    try (WsClient aliceAgain = catchUp(aliceAt, "alice", aliceHad, forAlice);
        WsClient carolAgain = catchUp(carolAt, "carol", carolHad, forCarol)) {
      Feed.tick(instances.runtime(0), "t1", live);
      assertThat(Feed.events(aliceAgain, 1)).containsExactly("tick " + live);
      assertThat(Feed.events(carolAgain, 1)).containsExactly("tick " + live);
    }
  }

  private static List<String> with(List<String> first, String... then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(then));
    return all;
  }

  /** The next {@code count} frames, each a tick with its seq. */
  private static List<JsonNode> ticks(WsClient client, int count) {
    List<JsonNode> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode frame = Feed.nextTick(client);
      Feed.seq(frame);
      frames.add(frame);
    }
    return frames;
  }

  /** What a closed client had received: every frame must be an event with its seq. */
  private static List<JsonNode> drain(WsClient client) {
    List<JsonNode> frames = new ArrayList<>();
    for (int pending = client.pending().size(); pending > 0; pending--) {
      JsonNode frame = client.next();
      Feed.seq(frame);
      frames.add(frame);
    }
    assertThat(frames).isNotEmpty();
    return frames;
  }

  /**
   * Reconnects {@code user} with the seq of the last frame it had and asserts that what it had and what it caught up
   * on are exactly {@code expected} ("event n"), in order; returns the client.
   */
  private static WsClient catchUp(int instance, String user, List<JsonNode> before, List<String> expected) {
    WsClient client = connect(instance, user, Feed.seq(before.get(before.size() - 1)));
    List<String> all = new ArrayList<>(before.stream().map(f -> f.path("event").asText() + " " + Feed.n(f)).toList());
    all.addAll(Feed.events(client, Feed.recovered(client)));
    assertThat(all).as(user).isEqualTo(expected);
    return client;
  }

  /** One request to instance 0 that emits tick n; fails unless it succeeds. */
  private static void call(WsClient caller, int n) {
    caller.send(Map.of("event", "ticks", "data", Map.of("start", n, "count", 1), "id", n));
    JsonNode reply = caller.next(frame -> frame.has("id") && frame.get("id").asInt() == n);
    assertThat(reply.toString()).isEqualTo("{\"event\":\"ticks\",\"data\":1,\"id\":" + n + "}");
  }

  /** Reads ticks until one with n of at least {@code n}, noting each; returns the last. */
  private static JsonNode readUntil(WsClient client, int n, List<Integer> got, SteadyStream stream) {
    JsonNode frame = null;
    while (got.isEmpty() || got.get(got.size() - 1) < n) {
      try {
        frame = Feed.nextTick(client);
      } catch (AssertionError e) {
        throw new AssertionError("waiting for " + n + ", got " + got.size() + " up to "
            + (got.isEmpty() ? "nothing" : got.get(got.size() - 1)) + (stream == null ? ""
                : ", emitted " + stream.emitted() + ", emitter failure: " + stream.failure()), e);
      }
      int tick = Feed.n(frame);
      got.add(tick);
      if (stream != null) {
        stream.received(Math.max(tick, got.stream().mapToInt(Integer::intValue).max().orElse(tick)));
      }
    }
    return frame;
  }

  /** Reads ticks until {@code got} has each of {@code all} (each frame waited for with the usual bound). */
  private static void readUntilAll(WsClient client, List<Integer> all, List<Integer> got) {
    Set<Integer> missing = new HashSet<>(all);
    got.forEach(missing::remove);
    while (!missing.isEmpty()) {
      try {
        int n = Feed.n(Feed.nextTick(client));
        got.add(n);
        missing.remove(n);
      } catch (AssertionError e) {
        throw new AssertionError("still missing " + new TreeSet<>(missing), e);
      }
    }
  }

  private static WsClient connect(int instance, String user) {
    return Feed.connect(instances.port(instance), user);
  }

  private static WsClient connect(int instance, String user, String since) {
    return Feed.connect(instances.port(instance), user, since);
  }
}
