package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.WsClient;

/** A client that stops reading must not hold up anybody else, nor make the server buffer without bound. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "cds.websocket.outbound-queue-limit=20")
class SlowConsumerTest {

  private static final int EVENTS = 400;

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Autowired
  HookLog hooks;

  @Test
  @DisplayName("B2: a stuck client is closed once 20 frames wait for it; the other gets every event, in order")
  void stuckClient() throws InterruptedException {
    WebSocketClients clients = WebSockets.clients(runtime);
    try (WsClient stuck = connect("alice"); WsClient reader = connect("carol")) {
      stuck.pauseReading();
      String padding = "x".repeat(64 * 1024); // 400 x 64 KiB: far more than the TCP buffers of one connection hold
      // Events come one by one, each read by the live client before the next: its queue stays short, while the
      // stuck client's grows once its TCP buffers are full.
      for (int i = 0; i < EVENTS; i++) {
        String text = i + ":" + padding;
        runtime.requestContext().systemUser("t1").run(context -> {
          hookService.emit(HookEvents.ping(text));
        });
        assertThat(reader.next().at("/data/text").asText()).startsWith(i + ":");
      }
      // The server dropped the stuck client (its close frame cannot reach a client that does not read): its
      // wsDisconnect hook ran, after it left the registry.
      assertThat(hooks.next("alice")).isEqualTo("connect alice t1");
      assertThat(hooks.next("alice")).startsWith("disconnect alice");
      assertThat(HookEvents.connectionsOf(clients, "t1", "alice")).isZero();
      assertThat(HookEvents.connectionsOf(clients, "t1", "carol")).isEqualTo(1);
    }
  }

  private WsClient connect(String user) {
    return WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"), basic(user, user));
  }
}
