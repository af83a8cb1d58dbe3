package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.WsClient;

/** P3: events and operations marked @ws in an OData service are served over the socket; nothing else is. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MixinTest {

  @LocalServerPort
  int port;

  @Test
  @DisplayName("P3: a @ws operation and event of an OData service are served at /ws/<service path>")
  void mixinEndpoint() {
    try (WsClient alice = connect("/ws/mixin", "alice"); WsClient carol = connect("/ws/mixin", "carol")) {
      alice.send(Map.of("event", "shoutMixin", "data", Map.of("text", "mixed in")));
      assertThat(alice.take(frame -> frame.get("event").asText().equals("shoutMixin")).get("data").asText())
          .isEqualTo("shouted as alice");
      assertThat(carol.next().toString()).isEqualTo("{\"event\":\"mixed\",\"data\":{\"text\":\"mixed in\"}}");
      assertThat(alice.next("mixed").at("/data/text").asText()).isEqualTo("mixed in");
    }
  }

  @Test
  @DisplayName("P3: unmarked operations and the entities of the OData service are not served over the socket")
  void onlyMarked() throws Exception {
    try (WsClient alice = connect("/ws/mixin", "alice")) {
      alice.send(Map.of("event", "notExposed", "data", Map.of("x", 1)));
      assertThat(alice.next().at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
      alice.send(Map.of("event", "Items:list", "data", Map.of()));
      assertThat(alice.next().at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    }
    HttpResponse<String> odata = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/odata/v4/MixinService/notExposed()"))
            .header("Authorization", basic("alice", "alice").get("Authorization")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(odata.statusCode()).isEqualTo(200);
    assertThat(odata.body()).contains("over OData only");
  }

  @Test
  @DisplayName("P3: @ws.path sends a mixin event to, and serves a mixin operation at, another service's path")
  void mixinIntoOtherPath() {
    try (WsClient alice = connect("/ws/hook", "alice")) {
      alice.send(Map.of("event", "mixinIntoHook", "data", Map.of()));
      JsonNode reply = alice.take(frame -> frame.get("event").asText().equals("mixinIntoHook"));
      assertThat(reply.get("data").asText()).isEqualTo("mixin called");
      assertThat(alice.next("intoHook").get("data").toString()).isEqualTo("{\"text\":\"from the mixin\"}");
    }
  }

  private WsClient connect(String path, String user) {
    return WsClient.connect(URI.create("ws://localhost:" + port + path), basic(user, user));
  }
}
