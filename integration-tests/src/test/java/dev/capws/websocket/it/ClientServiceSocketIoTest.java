package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClientService;

/**
 * C2 with the socket.io kind: instance 1's client service {@code remote-feed} ({@code kind: socket.io}) is a
 * Socket.IO client, as alice, of instance 0, which serves the socket.io kind (C1).
 */
class ClientServiceSocketIoTest {

  static Instances instances;
  static WebSocketClientService remote;
  static final LinkedBlockingQueue<EventContext> ARRIVED = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    instances = new Instances("client-services-sio", "cds.websocket.broker=local");
    instances.start("cds.websocket.kind=socket.io");
    String alice = "Basic " + Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8));
    instances.start("cds.websocket.clients.remote-feed.kind=socket.io",
        "cds.websocket.clients.remote-feed.url=http://localhost:" + instances.port(0) + "/ws/feed",
        "cds.websocket.clients.remote-feed.headers.Authorization=" + alice,
        "cds.websocket.clients.remote-feed.reply-timeout=5000");
    remote = instances.runtime(1).getServiceCatalog().getService(WebSocketClientService.class, "remote-feed");
    remote.on(new String[] { "tick", "private" }, new String[] { "*" }, ARRIVED::add);
    await().atMost(Duration.ofSeconds(10)).until(remote::isConnected);
  }

  @AfterAll
  static void stop() {
    instances.close();
  }

  @BeforeEach
  void nothingLeft() {
    ARRIVED.clear();
  }

  @Test
  @DisplayName("C2 C1: the Socket.IO server's events arrive as CAP events of the client service, for its user only")
  void eventsArrive() {
    CdsRuntime server = instances.runtime(0);
    Feed.tick(server, "t1", 1);
    Feed.privately(server, "t1", 2, "carol");
    Feed.privately(server, "t1", 3, "alice");
    EventContext tick = next();
    assertThat(tick.getEvent()).isEqualTo("tick");
    assertThat(tick.get("data")).isEqualTo(Map.of("n", 1, "text", "tick 1"));
    EventContext mine = next();
    assertThat(mine.getEvent()).isEqualTo("private");
    assertThat(mine.get("n")).isEqualTo(3);
  }

  @Test
  @DisplayName("C2 C1: call gets the acknowledgement's result; a failure in it becomes a ServiceException with its code")
  void calls() {
    assertThat(remote.call("ticks", Map.of("start", 10, "count", 2))).isEqualTo(2);
    assertThat(List.of(next().get("n"), next().get("n"))).containsExactly(10, 11);
    assertThatThrownBy(() -> remote.call("noSuchOperation", Map.of()))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(404));
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

  private static EventContext next() {
    try {
      EventContext event = ARRIVED.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
