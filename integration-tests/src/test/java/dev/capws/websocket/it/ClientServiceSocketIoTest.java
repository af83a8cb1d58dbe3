package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C2 with the socket.io kind: as {@link ClientServiceCases}, with {@code remote-feed} a Socket.IO client of instance 0,
 * which serves the socket.io kind (C1).
 */
class ClientServiceSocketIoTest extends ClientServiceCases {

  @BeforeAll
  static void start() {
    start("client-services-sio", "cds.websocket.kind=socket.io", port -> "http://localhost:" + port + "/ws/feed",
        "cds.websocket.clients.remote-feed.kind=socket.io");
  }

  @Test
  @DisplayName("C2 C1: after the server sends the client away, the client service comes back by itself")
  void reconnects() {
    remote.send("leave", Map.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> !remote.isConnected());
    await().atMost(Duration.ofSeconds(10)).until(remote::isConnected);
    Feed.tick(instances.runtime(0), "t1", 30);
    assertThat(next().get("n")).isEqualTo(30);
  }
}
