package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.runtime.CdsRuntime;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.WsClient;

/**
 * S1 and B3 across instances: three instances of the test application on one real Redis server (started once for
 * the class). Each test uses its own range of {@code n}. A client that must not get an event is proven not to by a
 * barrier event emitted later on the same instance: the events of one instance reach every client in the order they
 * were committed.
 */
class ScaleOutTest {

  private static final String PREFIX = "scale-out";

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, PREFIX);
    for (int i = 0; i < 3; i++) {
      // Streams of about 1000 entries, so that a position can be trimmed away in a test (Redis trims in nodes of
      // 100 entries: MAXLEN ~).
      instances.start("cds.websocket.redis.stream-length=1000");
    }
  }

  @AfterAll
  static void stop() {
    instances.close();
    redis.close();
  }

  @Test
  @DisplayName("S1: an event emitted on one instance reaches the clients of both, in order, each once")
  void acrossInstances() {
    try (WsClient onA = connect(0, "alice"); WsClient onB = connect(1, "carol")) {
      onA.send(Map.of("event", "ticks", "data", Map.of("start", 1, "count", 20)));
      List<Integer> a = new ArrayList<>();
      List<Integer> b = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        a.add(onA.next("tick").at("/data/n").asInt());
        JsonNode frame = onB.next("tick");
        b.add(frame.at("/data/n").asInt());
        assertThat(frame.get("seq").asText()).contains(":");
      }
      assertThat(a).isEqualTo(b).hasSize(20).startsWith(1, 2).endsWith(20);
    }
  }

  @Test
  @DisplayName("S1: events emitted at once on three instances reach the clients of all three, each once, in each "
      + "emitter's order; every client sees the same frames in the same order")
  void threeEmitters() throws InterruptedException {
    int perEmitter = 150;
    try (WsClient a = connect(0, "alice"); WsClient c = connect(1, "carol"); WsClient e = connect(2, "erin")) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> emitters = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CdsRuntime runtime = instances.runtime(i);
        int base = (i + 1) * 10_000;
        Thread emitter = new Thread(() -> {
          try {
            for (int k = 1; k <= perEmitter; k++) {
              Feed.tick(runtime, "t1", base + k);
            }
          } catch (Throwable t) {
            failure.set(t);
          }
        }, "emitter-" + i);
        emitters.add(emitter);
      }
      emitters.forEach(Thread::start);
      for (Thread emitter : emitters) {
        emitter.join(20_000);
      }
      assertThat(failure.get()).isNull();

      List<List<JsonNode>> received = new ArrayList<>();
      for (WsClient client : List.of(a, c, e)) {
        List<JsonNode> frames = new ArrayList<>();
        for (int i = 0; i < 3 * perEmitter; i++) {
          frames.add(Feed.nextTick(client));
        }
        received.add(frames);
      }
      assertThat(received.get(1)).isEqualTo(received.get(0));
      assertThat(received.get(2)).isEqualTo(received.get(0));
      List<JsonNode> frames = received.get(0);
      for (int i = 0; i < 3; i++) {
        int base = (i + 1) * 10_000;
        assertThat(frames.stream().map(Feed::n).filter(n -> n > base && n <= base + perEmitter).toList())
            .as("the events of instance %d", i).isEqualTo(range(base + 1, base + perEmitter));
      }
      for (int i = 1; i < frames.size(); i++) {
        assertThat(Feed.compare(Feed.seq(frames.get(i - 1)), Feed.seq(frames.get(i)))).isNegative();
      }
    }
  }

  @Test
  @DisplayName("E8 S1: all but the sender across instances: the others on its instance and on the others get it, "
      + "the sender does not, and a client elsewhere with the sender's connection id does")
  void allButTheSender() throws Exception {
    try (WsClient alice = connect(0, "alice")) {
      // Connection ids are unique per instance, not across instances: give erin on instance 1 the id of alice's
      // connection on instance 0 (all instances share this JVM, and so the id sequence).
      AtomicLong sequence = connectionSequence();
      long aliceId = sequence.get();
      assertThat(connectionIds(0, "alice")).containsExactly(String.valueOf(aliceId));
      sequence.set(aliceId - 1);
      try (WsClient erin = connect(1, "erin"); WsClient carol = connect(0, "carol");
          WsClient carolOn2 = connect(2, "carol")) {
        assertThat(connectionIds(1, "erin")).containsExactly(String.valueOf(aliceId));

        alice.send(Map.of("event", "tellOthers", "data", Map.of("text", "to the others"), "id", 1));
        assertThat(Feed.nextTick(carol).at("/data/text").asText()).isEqualTo("to the others");
        List<List<JsonNode>> before = Barrier.framesBefore("tick -81", () -> Feed.tick(instances.runtime(0), "t1",
            -81), alice, carol, erin, carolOn2);
        assertThat(before.get(0)).allSatisfy(frame -> assertThat(frame.path("event").asText()).isEqualTo("tellOthers"));
        assertThat(before.get(1)).isEmpty();
        for (List<JsonNode> frames : before.subList(2, 4)) {
          assertThat(frames).hasSize(1);
          assertThat(frames.get(0).at("/data/text").asText()).isEqualTo("to the others");
          assertThat(Feed.n(frames.get(0))).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  @DisplayName("A2 S1: tenants are isolated across instances, live and when catching up")
  void tenants() {
    try (WsClient alice = connect(0, "alice"); WsClient carol = connect(1, "carol"); WsClient dave = connect(0, "dave");
        WsClient bob = connect(1, "bob"); WsClient solo = connect(2, "solo")) {
      CdsRuntime zero = instances.runtime(0);
      Feed.tick(zero, "t1", 91);
      Feed.tick(zero, "t2", -91); // barriers of the other tenants, from the same instance
      Feed.tick(zero, null, -92);
      assertThat(Feed.events(alice, 1)).containsExactly("tick 91");
      assertThat(Feed.events(carol, 1)).containsExactly("tick 91");
      assertThat(Feed.events(dave, 1)).containsExactly("tick -91");
      assertThat(Feed.events(bob, 1)).containsExactly("tick -91");
      assertThat(Feed.events(solo, 1)).containsExactly("tick -92");

      CdsRuntime one = instances.runtime(1);
      Feed.tick(one, "t2", 92);
      Feed.tick(one, null, 93);
      Feed.tick(one, "t1", -93);
      assertThat(Feed.events(alice, 1)).containsExactly("tick -93");
      assertThat(Feed.events(carol, 1)).containsExactly("tick -93");
      assertThat(Feed.events(dave, 1)).containsExactly("tick 92");
      assertThat(Feed.events(solo, 1)).containsExactly("tick 93");
      String since = Feed.seq(Feed.nextTick(bob));
      bob.close();

      // While bob is away, t1 and t2 events on instance 2; he catches up on instance 0 with the t2 ones only.
      CdsRuntime two = instances.runtime(2);
      Feed.tick(two, "t1", 94);
      Feed.tick(two, "t2", 95);
      Feed.tick(two, "t1", 96);
      assertThat(Feed.events(dave, 1)).containsExactly("tick 95"); // witness: all three are in the stream now
      assertThat(Feed.events(alice, 2)).containsExactly("tick 94", "tick 96");
      try (WsClient again = connect(0, "bob", since)) {
        assertThat(Feed.recovered(again)).isEqualTo(1);
        assertThat(Feed.events(again, 1)).containsExactly("tick 95");
        Feed.tick(two, "t2", 97);
        assertThat(Feed.events(again, 1)).containsExactly("tick 97");
      }
    }
  }

  @Test
  @DisplayName("B3 S1: catching up on another instance filters as live delivery (private events to their user)")
  void recoveryFilteredAcrossInstances() {
    String alicePos;
    String carolPos;
    // Witnesses on the instances the clients come back to: once they have the last event, those instances have
    // handed every event to their clients, and what the returning clients get is what they caught up on.
    try (WsClient witness0 = connect(0, "erin"); WsClient witness2 = connect(2, "erin")) {
      try (WsClient alice = connect(1, "alice"); WsClient carol = connect(1, "carol")) {
        Feed.tick(instances.runtime(2), "t1", 101);
        alicePos = Feed.seq(Feed.nextTick(alice));
        carolPos = Feed.seq(Feed.nextTick(carol));
        assertThat(alicePos).isEqualTo(carolPos);
      }
      CdsRuntime zero = instances.runtime(0);
      Feed.privately(zero, "t1", 102, "alice");
      Feed.tick(zero, "t1", 103);
      Feed.privately(zero, "t1", 104, "carol");
      Feed.tick(zero, "t1", 105);
      assertThat(Feed.events(witness0, 3)).containsExactly("tick 101", "tick 103", "tick 105");
      assertThat(Feed.events(witness2, 3)).containsExactly("tick 101", "tick 103", "tick 105");

      try (WsClient alice = connect(2, "alice", alicePos); WsClient carol = connect(0, "carol", carolPos)) {
        assertThat(Feed.recovered(alice)).isEqualTo(3);
        assertThat(Feed.events(alice, 3)).containsExactly("private 102", "tick 103", "tick 105");
        assertThat(Feed.recovered(carol)).isEqualTo(3);
        assertThat(Feed.events(carol, 3)).containsExactly("tick 103", "private 104", "tick 105");
        Feed.tick(instances.runtime(1), "t1", 106);
        assertThat(Feed.events(alice, 1)).containsExactly("tick 106");
        assertThat(Feed.events(carol, 1)).containsExactly("tick 106");
      }
    }
  }

  @Test
  @DisplayName("B3 S1: the seam across instances: reconnecting to another instance while events stream in, "
      + "recovered + live is every n once, in order")
  void seamAcrossInstances() {
    SteadyStream.followAcrossReconnects(200_000, 6, n -> Feed.tick(instances.runtime(0), "t1", n),
        (cycle, since) -> connect(cycle % 3, "alice", since));
  }

  @Test
  @DisplayName("B3 S1: positions the stream cannot serve get recovered:false on every instance: malformed, unknown "
      + "epoch, never given out (between entries, in the future), trimmed away; then live events")
  void notRecoverableFromStream() {
    String since;
    try (WsClient alice = connect(0, "alice")) {
      Feed.tick(instances.runtime(1), "t1", 131);
      since = Feed.seq(Feed.nextTick(alice));
    }
    String between = since.substring(0, since.lastIndexOf('-') + 1)
        + (Long.parseLong(since.substring(since.lastIndexOf('-') + 1)) + 1);
    List<String> positions = List.of("abc", "zzzz:1-0", Feed.epoch(since) + ":0-0", between,
        Feed.future(since, 3_600_000));
    int n = 132;
    for (String position : positions) {
      int instance = n % 3;
      try (WsClient again = connect(instance, "alice", position)) {
        Feed.notRecovered(again);
        Feed.tick(instances.runtime(instance), "t1", n);
        assertThat(Feed.nextTickAfter(again, n - 1)).as("live after since=%s", position).isEqualTo(n);
      }
      n++;
    }

    // Trimmed: 1200 more entries (of another tenant, none of them for alice) push her position out of the stream.
    try (WsClient w0 = connect(0, "solo"); WsClient w1 = connect(1, "solo"); WsClient w2 = connect(2, "solo")) {
      for (int i = 1; i <= 1200; i++) {
        Feed.tick(instances.runtime(0), "t2", 130_000 + i);
      }
      // A barrier (to the clients without a tenant) from the same instance: once each instance delivered it, all
      // 1200 are in the stream, and no instance still has any of them to deliver.
      Feed.tick(instances.runtime(0), null, 131_201);
      for (WsClient witness : List.of(w0, w1, w2)) {
        assertThat(Feed.events(witness, 1)).containsExactly("tick 131201");
      }
    }
    try (RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = raw.connect()) {
      String first = connection.sync().xrange(PREFIX + ":stream:FeedService", Range.create("-", "+"),
          Limit.create(0, 1)).get(0).getId();
      assertThat(Feed.compare(Feed.epoch(since) + ":" + first, since)).as("trimmed past %s", since).isPositive();
    }
    try (WsClient again = connect(2, "alice", since)) {
      Feed.notRecovered(again);
      Feed.tick(instances.runtime(0), "t1", 140);
      assertThat(Feed.n(Feed.nextTick(again))).isEqualTo(140);
    }
  }

  @Test
  @DisplayName("S1: malformed stream entries are skipped: valid events still reach every instance's clients, every "
      + "instance keeps serving, and catching up skips them too")
  void malformedEntries() {
    try (RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = raw.connect();
        WsClient a = connect(0, "alice"); WsClient c = connect(1, "carol"); WsClient e = connect(2, "erin")) {
      Feed.tick(instances.runtime(0), "t1", 111);
      String since = Feed.seq(Feed.nextTick(a));
      Feed.nextTick(c);
      Feed.nextTick(e);

      RedisCommands<String, String> redisCommands = connection.sync();
      String stream = PREFIX + ":stream:FeedService";
      redisCommands.xadd(stream, Map.of("envelope", "not json"));
      redisCommands.xadd(stream, Map.of("envelope", "{\"serviceName\":\"FeedService\",\"tenant\":\"t1\",\"event\":\"tick\"}"));
      redisCommands.xadd(stream, Map.of("id", "no-envelope", "origin", "nobody"));
      redisCommands.xadd(stream, Map.of("envelope", "null"));
      redisCommands.xadd(stream, Map.of("envelope", "[1, 2, 3]"));
      redisCommands.xadd(stream, Map.of("envelope", "{\"serviceName\":\"FeedService\",\"tenant\":\"t1\",\"event\":"
          + "\"tick\",\"frame\":\"{}\",\"targeting\":{\"users\":{\"include\":null}},\"except\":0}"));

      Feed.tick(instances.runtime(1), "t1", 112);
      for (WsClient client : List.of(a, c, e)) {
        assertThat(Feed.events(client, 1)).containsExactly("tick 112");
      }

      // Every instance still serves: each answers a call, and each call's event reaches every client.
      List<WsClient> clients = List.of(a, c, e);
      for (int i = 0; i < 3; i++) {
        clients.get(i).send(Map.of("event", "ticks", "data", Map.of("start", 113 + i, "count", 1), "id", i));
      }
      for (int i = 0; i < 3; i++) {
        Set<Integer> ticks = new HashSet<>();
        boolean replied = false;
        for (int frames = 0; frames < 4; frames++) {
          JsonNode frame = clients.get(i).next();
          if (frame.has("id")) {
            assertThat(frame.toString()).isEqualTo("{\"event\":\"ticks\",\"data\":1,\"id\":" + i + "}");
            replied = true;
          } else {
            ticks.add(Feed.n(frame));
          }
        }
        assertThat(replied).isTrue();
        assertThat(ticks).containsExactlyInAnyOrder(113, 114, 115);
      }

      // Catching up over the garbage: only the valid events count.
      try (WsClient again = connect(2, "alice", since)) {
        assertThat(Feed.recovered(again)).isEqualTo(4);
        List<String> events = Feed.events(again, 4);
        assertThat(events.get(0)).isEqualTo("tick 112");
        assertThat(events.subList(1, 4)).containsExactlyInAnyOrder("tick 113", "tick 114", "tick 115");
      }
      // And a new client on each instance is served.
      for (int i = 0; i < 3; i++) {
        try (WsClient fresh = connect(i, "carol")) {
          Feed.tick(instances.runtime((i + 1) % 3), "t1", 120 + i);
          assertThat(Feed.nextTickAfter(fresh, 119 + i)).isEqualTo(120 + i);
        }
      }
    }
  }

  private static WsClient connect(int instance, String user) {
    return Feed.connect(instances.port(instance), user);
  }

  private static WsClient connect(int instance, String user, String since) {
    return Feed.connect(instances.port(instance), user, since);
  }

  private static List<String> connectionIds(int instance, String user) {
    WebSocketClients clients = WebSockets.clients(instances.runtime(instance));
    return clients.of("FeedService", "t1").stream().filter(client -> user.equals(client.user()))
        .map(WebSocketClients.Client::connectionId).toList();
  }

  /**
   * The plugin's counter of connection ids, reached by name: instances in separate processes count from the same
   * start, so their ids collide; in one JVM they share the counter, and the test makes the collision itself.
   */
  private static AtomicLong connectionSequence() throws ReflectiveOperationException {
    Field field = Class.forName("dev.capws.websocket.internal.connection.Connection").getDeclaredField("SEQUENCE");
    field.setAccessible(true);
    return (AtomicLong) field.get(null);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> range = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      range.add(n);
    }
    return range;
  }
}
