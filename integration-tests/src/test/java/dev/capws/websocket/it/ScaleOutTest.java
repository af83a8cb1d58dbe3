package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.WsClient;

/** S1 and B3 across instances: two instances of the test application on one real Redis server. */
class ScaleOutTest {

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, "scale-out");
    instances.start();
    instances.start();
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

  private static WsClient connect(int instance, String user) {
    return WsClient.connect(URI.create("ws://localhost:" + instances.port(instance) + "/ws/feed"), basic(user, user));
  }
}
