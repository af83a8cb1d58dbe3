package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/** P4: a custom route gets raw messages, behind CAP's authentication. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RouteTest {

  @LocalServerPort
  int port;

  @Autowired
  HookLog hooks;

  @Test
  @DisplayName("P4: a route registered from Java serves its path with raw text, as the authenticated user")
  void echo() throws InterruptedException {
    try (RawSocket raw = RawSocket.upgrade(port, "/ws/echo?id=t7", basic("erin", "erin"))) {
      assertThat(raw.read().text()).isEqualTo("welcome erin as t7");
      raw.sendText("not json at all");
      assertThat(raw.read().text()).isEqualTo("NOT JSON AT ALL from erin");
      raw.sendText("bye");
      assertThat(raw.awaitCloseCode()).isEqualTo(4000);
    }
    assertThat(hooks.next("erin", "route")).isEqualTo("route erin 4000");
  }

  @Test
  @DisplayName("P4 A1: a route is behind CAP's authentication; unknown paths stay 404")
  void secured() {
    assertThat(WsClient.handshakeStatus(URI.create("ws://localhost:" + port + "/ws/echo")))
        .isEqualTo(401);
    assertThat(WsClient.handshakeStatus(URI.create("ws://localhost:" + port + "/ws/echo2"),
        basic("erin", "erin"))).isEqualTo(404);
  }
}
