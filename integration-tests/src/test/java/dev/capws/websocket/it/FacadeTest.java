package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.WsClient;

/** The Java facade (WebSockets.current()) used from handlers of calls that came over the socket. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FacadeTest {

  @LocalServerPort
  int port;

  @Autowired
  HookLog hooks;

  @Test
  @DisplayName("E8 E5: broadcast reaches the others in the room, not the sender; broadcastAll includes the sender")
  void broadcastAndBroadcastAll() {
    try (WsClient alice = connect("alice"); WsClient carol = connect("carol"); WsClient erin = connect("erin")) {
      alice.send(Map.of("event", "join", "data", Map.of("room", "1")));
      assertThat(alice.next().get("data").toString()).isEqualTo("[\"room-1\"]");
      carol.send(Map.of("event", "join", "data", Map.of("room", "1")));
      assertThat(carol.next().get("event").asText()).isEqualTo("join");
      assertThat(alice.next().toString())
          .isEqualTo("{\"event\":\"joined\",\"data\":{\"user\":\"carol\",\"room\":\"room-1\"}}");

      carol.send(Map.of("event", "shout", "data", Map.of("room", "1", "text", "hello room")));
      assertThat(alice.next().at("/data/text").asText()).isEqualTo("hello room");
      // carol gets her shout and the reply, in either order; erin, outside the room, gets neither
      assertThat(carol.next("everyone").at("/data/text").asText()).isEqualTo("hello room");

      // erin, outside room-1, got none of it: her own broadcast through the same ordered fan-out comes first.
      erin.send(Map.of("event", "join", "data", Map.of("room", "e")));
      erin.send(Map.of("event", "shout", "data", Map.of("room", "e", "text", "erin's barrier")));
      List<String> before = new ArrayList<>();
      for (JsonNode frame = erin.next(); !"erin's barrier".equals(frame.at("/data/text").asText());
          frame = erin.next()) {
        before.add(frame.get("event").asText());
      }
      assertThat(before).isSubsetOf("join", "shout");
    }
  }

  @Test
  @DisplayName("E8: emit goes to the calling client only, shaped by the event's declaration")
  void emitToCaller() {
    try (WsClient alice = connect("alice"); WsClient carol = connect("carol")) {
      alice.send(Map.of("event", "whisper", "data", Map.of("text", "psst")));
      assertThat(alice.next("everyone").get("data").toString()).isEqualTo("{\"text\":\"psst\"}");
      carol.send(Map.of("event", "whisper", "data", Map.of("text", "mine")));
      JsonNode first = carol.next("everyone");
      assertThat(first.at("/data/text").asText()).isEqualTo("mine");
    }
  }

  @Test
  @DisplayName("E8: disconnect closes the caller with 1000; onDisconnect callbacks run")
  void disconnect() throws InterruptedException {
    try (WsClient carol = connect("carol")) {
      carol.send(Map.of("event", "join", "data", Map.of("room", "k")));
      carol.next("join");
      carol.send(Map.of("event", "kick", "data", Map.of()));
      assertThat(carol.awaitClose().code()).isEqualTo(1000);
      assertThat(hooks.next("carol")).isEqualTo("left carol 1000");
    }
  }

  private WsClient connect(String user) {
    return WsClient.connect(URI.create("ws://localhost:" + port + "/ws/target"), basic(user, user));
  }
}
