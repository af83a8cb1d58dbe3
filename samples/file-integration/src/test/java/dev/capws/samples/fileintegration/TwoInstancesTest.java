package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.RedisServer;
import dev.capws.websocket.test.WsClient;

/**
 * The README's "Run two instances": the sample started twice with exactly the flags the README gives, on one real
 * Redis server; a client of the second instance sees the changes made through the first, and catches up with
 * {@code ?since=} after it was away.
 */
class TwoInstancesTest {

  @Test
  @DisplayName("S1 B3: the sample as two instances with --cds.websocket.broker=redis, redis.uri and recovery")
  void twoInstances() throws Exception {
    try (RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext first = start(redis);
        ConfigurableApplicationContext second = start(redis)) {
      String seq;
      try (WsClient client = WsClient.connect(ws(second, ""))) {
        create(first, "from the first");
        JsonNode frame = client.next("serverNotification");
        assertThat(frame.at("/data/data/value").asText()).isEqualTo("from the first");
        seq = frame.get("seq").asText();
      }
      create(first, "missed");
      try (WsClient back = WsClient.connect(ws(second, "?since=" + seq))) {
        // The create returns at its commit; the event reaches Redis just after. A reconnect in between finds it live
        // (count 0) instead of in the history (count 1): either way it arrives once, before what follows it.
        JsonNode recovery = back.next();
        assertThat(recovery.path("event").asText()).isEqualTo("wsRecovery");
        assertThat(recovery.at("/data/recovered").asBoolean()).isTrue();
        assertThat(recovery.at("/data/count").asInt()).isBetween(0, 1);
        assertThat(back.next("serverNotification").at("/data/data/value").asText()).isEqualTo("missed");
        create(first, "after");
        assertThat(back.next("serverNotification").at("/data/data/value").asText()).isEqualTo("after");
      }
    }
  }

  /** The sample's own main class, with the README's arguments, a random port and a database file of its own. */
  private static ConfigurableApplicationContext start(RedisServer redis) throws Exception {
    Path database = Files.createTempFile("two-instances", ".sqlite");
    database.toFile().deleteOnExit();
    return SpringApplication.run(Application.class, "--server.port=0",
        "--spring.datasource.url=jdbc:sqlite:" + database, "--cds.websocket.broker=redis", "--cds.websocket.redis.uri=" + redis.uri(),
        "--cds.websocket.recovery.enabled=true");
  }

  private static void create(ConfigurableApplicationContext instance, String value) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port(instance) + "/odata/v4/test/Data"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\",\"count\":1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
  }

  private static URI ws(ConfigurableApplicationContext instance, String query) {
    return URI.create("ws://localhost:" + port(instance) + "/ws/chat" + query);
  }

  private static int port(ConfigurableApplicationContext instance) {
    return ((ServletWebServerApplicationContext) instance).getWebServer().getPort();
  }
}
