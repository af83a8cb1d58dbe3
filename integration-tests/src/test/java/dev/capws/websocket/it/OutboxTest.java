package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.ql.Select;
import com.sap.cds.services.persistence.PersistenceService;

import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.WsClient;

/**
 * S3: events through CAP's persistent outbox. Instance 0 emits through the outbox (stored in its H2 database with
 * the data), instance 1 only receives; both on one real Redis server.
 */
class OutboxTest {

  private static final String DATABASE = "jdbc:h2:mem:outbox-emitter;DB_CLOSE_DELAY=-1";
  /** The outbox retries after at most a second here (CAP's default pause grows much longer). */
  private static final String[] EMITTER = { "cds.websocket.outbox=DefaultOutboxOrdered",
      "spring.datasource.url=" + DATABASE, "cds.outbox.services.DefaultOutboxOrdered.maxPause=1s" };

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, "outbox");
    instances.start(EMITTER);
    awaitOutboxEmpty(0);
    instances.start();
  }

  /**
   * Waits (at most 10 s) until the instance's outbox holds no message: the wake-up it submits at start has been
   * processed. CAP's outbox takes up stored messages when a new one arrives; one that arrived while that first
   * run was still going sometimes waited for the next message (OutboxTest.throughTheOutbox failed so, in about 1 of
   * 5 runs, with nothing delivered in 10 s). Not solved in the plugin: a known limit (docs/scale-out.md).
   */
  private static void awaitOutboxEmpty(int instance) {
    PersistenceService db = instances.bean(instance, PersistenceService.class);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (db.run(Select.from("cds.outbox.Messages")).rowCount() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000);
    }
  }

  @AfterAll
  static void stop() {
    instances.close();
    redis.close();
  }

  @Test
  @DisplayName("S3: events committed through the outbox reach the clients of every instance, in order, once")
  void throughTheOutbox() {
    try (WsClient emitter = connect(0, "alice"); WsClient receiver = connect(1, "carol")) {
      emitter.send(Map.of("event", "ticks", "data", Map.of("start", 1, "count", 5)));
      assertThat(emitter.next("ticks").at("/data").asInt()).isEqualTo(5);
      assertThat(numbers(receiver, 5)).containsExactly(1, 2, 3, 4, 5);
      assertThat(numbers(emitter, 5)).containsExactly(1, 2, 3, 4, 5);
    }
  }

  @Test
  @DisplayName("S3: an event committed while Redis is away survives the emitting instance's end: a new instance on "
      + "the same database publishes it, once")
  // A user without tenant: after a restart, CAP's outbox collector takes up the messages of the tenants it knows,
  // and a single-tenant application knows only that one.
  void survivesTheEmitter() {
    try (WsClient receiver = connect(1, "solo")) {
      redis.kill();
      try (WsClient emitter = connect(0, "solo")) {
        emitter.send(Map.of("event", "ticks", "data", Map.of("start", 101, "count", 3)));
        assertThat(emitter.next("ticks").at("/data").asInt()).isEqualTo(3); // committed: the request succeeded
      }
      instances.stop(0); // the outbox could not hand the events to Redis: they stay in the database
      redis.restart();
      // The same database, kept as it is (no schema script), as a restarted instance would find it.
      // The plugin wakes the outbox up at start, so what the previous instance left goes out without a new event.
      int successor = instances.start(concat(EMITTER, "spring.sql.init.mode=never"));
      List<Integer> late = new ArrayList<>(List.of(receiver.next("tick", Duration.ofSeconds(20)).at("/data/n").asInt()));
      late.addAll(numbers(receiver, 2));
      assertThat(late).containsExactly(101, 102, 103);
      // nothing twice: the next event after them is the successor's new one
      try (WsClient emitter = connect(successor, "solo")) {
        emitter.send(Map.of("event", "ticks", "data", Map.of("start", 200, "count", 1)));
        assertThat(numbers(receiver, 1)).containsExactly(200);
      }
    }
  }

  private static String[] concat(String[] properties, String... more) {
    List<String> all = new ArrayList<>(List.of(properties));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static List<Integer> numbers(WsClient client, int count) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(client.next("tick").at("/data/n").asInt());
    }
    return numbers;
  }

  private static WsClient connect(int instance, String user) {
    return WsClient.connect(URI.create("ws://localhost:" + instances.port(instance) + "/ws/feed"), basic(user, user));
  }
}
