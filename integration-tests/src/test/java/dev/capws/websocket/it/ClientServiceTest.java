package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClientService;
import dev.capws.websocket.test.WsClient;

/**
 * C2 with the ws kind: as {@link ClientServiceCases}, plus what only a plain WebSocket client does (frames sent by
 * emit, catch-up after a reconnect, a client that cannot connect).
 */
class ClientServiceTest extends ClientServiceCases {

  @BeforeAll
  static void start() {
    start("client-services", "cds.websocket.kind=ws", port -> "ws://localhost:" + port + "/ws/feed?id=java-client",
        // nothing listens on port 9 (discard) here: a client service that never connects
        "cds.websocket.clients.nowhere.url=ws://localhost:9/ws/feed");
  }

  @Test
  @DisplayName("C2 O3: a call the other side refuses (wrong parameter types) throws with its 400")
  void refusedCall() {
    assertThatThrownBy(() -> remote.call("ticks", Map.of("start", "ten", "count", 1)))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(400));
  }

  @Test
  @DisplayName("C2: an event emitted on the client service leaves as a frame (here: calls tellOthers, which reaches "
      + "the other side's other clients)")
  void emitSends() {
    try (WsClient carol = Feed.connect(instances.port(0), "carol")) {
      EventContext tellOthers = EventContext.create("tellOthers", null);
      tellOthers.put("text", "from the client service");
      remote.emit(tellOthers);
      assertThat(carol.next("tick").at("/data/text").asText()).isEqualTo("from the client service");
    }
  }

  @Test
  @DisplayName("C2 B3: after the other side drops the connection, the client service reconnects by itself and "
      + "catches up: every event once, in order")
  void reconnectsAndCatchesUp() {
    CdsRuntime server = instances.runtime(0);
    Feed.tick(server, "t1", 20);
    assertThat(next().get("n")).isEqualTo(20);
    remote.send("leave", Map.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> !remote.isConnected());
    for (int n = 21; n <= 25; n++) {
      Feed.tick(server, "t1", n);
    }
    await().atMost(Duration.ofSeconds(10)).until(remote::isConnected);
    Feed.tick(server, "t1", 26);
    List<Object> got = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      EventContext event = next();
      if (!"wsRecovery".equals(event.getEvent())) {
        got.add(event.get("n"));
      } else {
        assertThat(event.get("recovered")).isEqualTo(true);
        i--;
      }
    }
    assertThat(got).containsExactly(21, 22, 23, 24, 25, 26);
  }

  @Test
  @DisplayName("C2: a client service that cannot connect keeps trying; meanwhile send and call fail at once with 502")
  void notConnected() {
    WebSocketClientService nowhere = instances.runtime(1).getServiceCatalog()
        .getService(WebSocketClientService.class, "nowhere");
    assertThat(nowhere.isConnected()).isFalse();
    assertThatThrownBy(() -> nowhere.send("tick", Map.of())).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(502));
    assertThatThrownBy(() -> nowhere.call("ticks", Map.of())).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(502));
  }
}
