package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.runtime.CdsRuntime;

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
    instances.start();
    instances.start();
    instances.start();
  }

  @AfterAll
  static void stop() {
    instances.close();
    redis.close();
  }

  @Test
  @DisplayName("S1: Redis killed and restarted in the middle of a stream: requests still succeed, the emitting "
      + "instance's client is served meanwhile, and every client gets every event once, in order")
  void redisKilledMidStream() {
    int base = 10_000;
    List<Integer> gotZero = new ArrayList<>();
    try (WsClient zero = connect(0, "alice"); WsClient one = connect(1, "carol"); WsClient caller = connect(0, "erin");
        // Each event is its own request to instance 0 (the ticks action over the socket), which must succeed.
        SteadyStream stream = new SteadyStream(base, 200, 500, n -> call(caller, n))) {
      readUntil(zero, base + 100, gotZero, stream);

      redis.kill();
      int atKill = stream.emitted();
      // Emitted after the kill, handed to instance 0's client while Redis is away.
      readUntil(zero, atKill + 100, gotZero, stream);

      redis.restart();
      int atRestart = stream.emitted();
      readUntil(zero, atRestart + 100, gotZero, stream);
      int last = stream.stop();
      readUntil(zero, last, gotZero, stream);

      List<Integer> all = IntStream.rangeClosed(base + 1, last).boxed().toList();
      List<Integer> gotOne = new ArrayList<>();
      readUntil(one, last, gotOne, null);
      assertThat(gotOne).as("the client on the other instance").isEqualTo(all);
      assertThat(gotZero).as("the client on the emitting instance").isEqualTo(all);
      // And nothing more comes: the next event on either is a new one.
      Feed.tick(instances.runtime(0), "t1", last + 1);
      assertThat(Feed.n(Feed.nextTick(zero))).isEqualTo(last + 1);
      assertThat(Feed.n(Feed.nextTick(one))).isEqualTo(last + 1);
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
  @DisplayName("B3 S1: an instance stops with clients on it: they reconnect to another with their last seq and "
      + "catch up on what a third emitted meanwhile, filtered")
  void instanceStops() {
    CdsRuntime zero = instances.runtime(0);
    String alicePos;
    String carolPos;
    WsClient alice = connect(2, "alice");
    WsClient carol = connect(2, "carol");
    try (WsClient witness = connect(1, "erin")) {
      Feed.tick(zero, "t1", 301);
      alicePos = Feed.seq(Feed.nextTick(alice));
      carolPos = Feed.seq(Feed.nextTick(carol));
      assertThat(Feed.n(Feed.nextTick(witness))).isEqualTo(301);

      instances.stop(2);
      assertThat(alice.awaitClose().code()).isEqualTo(1001);
      assertThat(carol.awaitClose().code()).isEqualTo(1001);

      Feed.tick(zero, "t1", 302);
      Feed.privately(zero, "t1", 303, "alice");
      Feed.tick(zero, "t1", 304);
      assertThat(Feed.events(witness, 2)).containsExactly("tick 302", "tick 304");

      try (WsClient aliceAgain = connect(1, "alice", alicePos);
          WsClient carolAgain = connect(1, "carol", carolPos)) {
        assertThat(Feed.recovered(aliceAgain)).isEqualTo(3);
        assertThat(Feed.events(aliceAgain, 3)).containsExactly("tick 302", "private 303", "tick 304");
        assertThat(Feed.recovered(carolAgain)).isEqualTo(2);
        assertThat(Feed.events(carolAgain, 2)).containsExactly("tick 302", "tick 304");
        Feed.tick(zero, "t1", 305);
        assertThat(Feed.events(aliceAgain, 1)).containsExactly("tick 305");
        assertThat(Feed.events(carolAgain, 1)).containsExactly("tick 305");
      }
    } finally {
      alice.abort();
      carol.abort();
    }
  }

  /** One request to instance 0 that emits tick n; fails unless it succeeds. */
  private static void call(WsClient caller, int n) {
    caller.send(Map.of("event", "ticks", "data", Map.of("start", n, "count", 1), "id", n));
    JsonNode reply = caller.next(frame -> frame.has("id") && frame.get("id").asInt() == n);
    assertThat(reply.toString()).isEqualTo("{\"event\":\"ticks\",\"data\":1,\"id\":" + n + "}");
  }

  /** Reads ticks until one with n of at least {@code n}, noting each. */
  private static void readUntil(WsClient client, int n, List<Integer> got, SteadyStream stream) {
    while (got.isEmpty() || got.get(got.size() - 1) < n) {
      int tick = Feed.n(Feed.nextTick(client));
      got.add(tick);
      if (stream != null) {
        stream.received(Math.max(tick, got.stream().mapToInt(Integer::intValue).max().orElse(tick)));
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
