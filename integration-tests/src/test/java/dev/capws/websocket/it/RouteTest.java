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
  @DisplayName("P4: an exception in the route's handler closes its client with 1011, not a dropped socket")
  void routeFailure() throws InterruptedException {
    try (RawSocket raw = RawSocket.upgrade(port, "/ws/echo", basic("erin", "erin"))) {
      assertThat(raw.read().text()).startsWith("welcome erin");
      raw.sendText("fail");
      assertThat(raw.awaitCloseCode()).isEqualTo(1011);
    }
    assertThat(hooks.next("erin", "route")).isEqualTo("route erin 1011");
  }

  @Test
  @DisplayName("P4: RouteSession.disconnect refuses codes a close frame may not carry (1005, 1006, 1015, out of range)")
  void refusedCloseCodes() throws InterruptedException {
    try (RawSocket raw = RawSocket.upgrade(port, "/ws/echo", basic("erin", "erin"))) {
      assertThat(raw.read().text()).startsWith("welcome erin");
      for (int code : new int[] { 1004, 1005, 1006, 1015, 999, 2999, 5000 }) {
        raw.sendText("close " + code);
        assertThat(raw.read().text()).isEqualTo("refused " + code);
      }
      raw.sendText("close 4001");
      assertThat(raw.awaitCloseCode()).isEqualTo(4001);
    }
    assertThat(hooks.next("erin", "route")).isEqualTo("route erin 4001");
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
