package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.WsClient;

/** A3: CAP's @requires applies over the socket (entity @restrict is in CrudTest). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthorizationTest {

  @LocalServerPort
  int port;

  @Test
  @DisplayName("A3: @requires on an operation: refused with 403 for others, allowed for the role")
  void operation() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient erin = connect("/ws/hook", "erin")) {
      alice.send(Map.of("event", "adminOnly", "data", Map.of()));
      JsonNode refused = alice.next("adminOnly");
      assertThat(refused.at("/error/status").asInt()).isEqualTo(403);
      erin.send(Map.of("event", "adminOnly", "data", Map.of()));
      assertThat(erin.next("adminOnly").get("data").asText()).isEqualTo("for admins");
    }
  }

  @Test
  @DisplayName("A3: @requires on a service: only users with the role may connect (it pushes events to all)")
  void service() {
    assertThat(WsClient.handshakeStatus(ws("/ws/admin-socket"), basic("alice", "alice"))).isEqualTo(403);
    try (WsClient erin = connect("/ws/admin-socket", "erin")) {
      erin.send(Map.of("event", "hello", "data", Map.of()));
      assertThat(erin.next().get("data").asText()).isEqualTo("hello admin erin");
    }
  }

  private WsClient connect(String path, String user) {
    return WsClient.connect(ws(path), basic(user, user));
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + port + path);
  }
}
