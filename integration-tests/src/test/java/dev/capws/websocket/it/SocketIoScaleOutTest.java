package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.SocketIoClient;

/**
 * C1 with S1: two instances of the socket.io kind on one Redis server. The events travel between instances already
 * framed as Socket.IO packets, the way the one publish path carries every event, and reach Socket.IO clients of both.
 */
class SocketIoScaleOutTest {

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, "socket-io-scale-out");
    instances.start("cds.websocket.kind=socket.io");
    instances.start("cds.websocket.kind=socket.io");
  }

  @AfterAll
  static void stop() {
    if (instances != null) {
      instances.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @ParameterizedTest(name = "C1 S1: an event emitted on one instance reaches the Socket.IO clients of the other ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void acrossInstances(String transport) {
    JsonNode seen = SocketIoClient.run("across", "http://localhost:" + instances.port(0), transport,
        Map.of("OTHER", "http://localhost:" + instances.port(1)));
    assertThat(seen.get("sent").asText()).isEqualTo("sent");
    assertThat(seen.at("/heard/here")).hasToString("{\"text\":\"across\",\"sender\":\"alice\"}");
    assertThat(seen.at("/heard/there")).hasToString("{\"text\":\"across\",\"sender\":\"alice\"}");
    assertThat(seen.at("/heard/back")).hasToString("{\"text\":\"and back\",\"sender\":\"carol\"}");
  }
}
