package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.test.WsClient;

/** The sample's Actuator endpoints show the plugin's meters and health (docs/observability.md). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests leave metrics export (Prometheus) off unless asked

class ObservabilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration BOUND = Duration.ofSeconds(10);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    Path file = Files.createTempFile("observability-test", ".sqlite");
    file.toFile().deleteOnExit();
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
  }

  @LocalServerPort
  int port;

  @Test
  @DisplayName("Metrics: the connections gauge follows clients; frames, bytes, events and refusals are counted")
  void meters() throws Exception {
    try (WsClient alice = WsClient.connect(ws()); WsClient bob = WsClient.connect(ws())) {
      WsClient carol = WsClient.connect(ws());
      await().atMost(BOUND).until(() -> value("cds.websocket.connections?tag=service:ChatService") == 3);
      carol.close();
      await().atMost(BOUND).until(() -> value("cds.websocket.connections?tag=service:ChatService") == 2);

      alice.send("{\"event\":\"message\",\"data\":{\"text\":\"hi\"},\"id\":1}");
      alice.next("message");
      assertThat(value("cds.websocket.frames.received")).isGreaterThanOrEqualTo(1);
      assertThat(value("cds.websocket.bytes.received")).isGreaterThanOrEqualTo(47);

      double published = value("cds.websocket.events.published");
      alice.send("{\"event\":\"sendSystemMessage\",\"data\":{\"text\":\"counted\"},\"id\":2}");
      bob.next("systemMessage");
      await().atMost(BOUND).until(() -> value("cds.websocket.events.published") == published + 1);
      await().atMost(BOUND).until(() -> value("cds.websocket.events.delivered") >= published + 1);
      assertThat(value("cds.websocket.fanout.wait")).isGreaterThanOrEqualTo(1); // its first measurement: the count
      assertThat(value("cds.websocket.fanout.queue")).isGreaterThanOrEqualTo(0);
      assertThat(value("cds.websocket.frames.sent")).isGreaterThanOrEqualTo(4); // 2 replies, 2 system messages
      assertThat(value("cds.websocket.bytes.sent")).isGreaterThan(100);
    }
    double refused = value("cds.websocket.handshakes.refused?tag=reason:not-an-upgrade");
    assertThat(get("/ws/chat").statusCode()).isEqualTo(426);
    assertThat(value("cds.websocket.handshakes.refused?tag=reason:not-an-upgrade")).isEqualTo(refused + 1);
    assertThat(value("cds.websocket.events.dropped")).isZero();
    assertThat(value("cds.websocket.slow.consumers")).isZero();
  }

  @Test
  @DisplayName("Health: webSocket is UP, accepting, with the local broker; Prometheus shows the gauge by service "
      + "and tenant")
  void healthAndPrometheus() throws Exception {
    try (WsClient alice = WsClient.connect(ws())) {
      JsonNode health = JSON.readTree(get("/actuator/health").body()).at("/components/webSocket");
      assertThat(health.path("status").asText()).isEqualTo("UP");
      assertThat(health.at("/details/accepting").asBoolean()).isTrue();
      assertThat(health.at("/details/broker").asText()).isEqualTo("local");
      assertThat(health.at("/details/broker.connected").asBoolean()).isTrue();
      assertThat(get("/actuator/prometheus").body())
          .contains("cds_websocket_connections{service=\"ChatService\",tenant=\"\"}");
    }
  }

  /** The first measurement of a meter, as Actuator's metrics endpoint shows it. */
  private double value(String meter) throws Exception {
    HttpResponse<String> response = get("/actuator/metrics/" + meter);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).at("/measurements/0/value").asDouble();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI ws() {
    return URI.create("ws://localhost:" + port + "/ws/chat");
  }
}
