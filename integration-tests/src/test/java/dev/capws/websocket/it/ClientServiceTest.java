package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import dev.capws.websocket.test.WsClient;

/**
 * C2: a CAP service of one application that is a WebSocket client of another's ({@code cds.websocket.clients.*}):
 * instance 1 has the client service {@code remote-feed}, connected as alice to instance 0's FeedService.
 */
class ClientServiceTest {

  static Instances instances;
  static WebSocketClientService remote;
  static final LinkedBlockingQueue<EventContext> ARRIVED = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    instances = new Instances("client-services", "cds.websocket.broker=local");
    instances.start();
    String alice = "Basic " + Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8));
    instances.start("cds.websocket.clients.remote-feed.url=ws://localhost:" + instances.port(0)
        + "/ws/feed?id=java-client", "cds.websocket.clients.remote-feed.headers.Authorization=" + alice,
        "cds.websocket.clients.remote-feed.reply-timeout=5000",
        // nothing listens on port 9 (discard) here: a client service that never connects
        "cds.websocket.clients.nowhere.url=ws://localhost:9/ws/feed");
    remote = instances.runtime(1).getServiceCatalog().getService(WebSocketClientService.class, "remote-feed");
    // As an application's @On(service = "remote-feed", event = ...) handlers would.
    remote.on(new String[] { "tick", "private", "wsRecovery" }, new String[] { "*" }, ARRIVED::add);
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
  @DisplayName("C2: the other side's events arrive as CAP events of the client service, filtered for its user")
  void eventsArrive() {
    CdsRuntime server = instances.runtime(0);
    Feed.tick(server, "t1", 1);
    Feed.privately(server, "t1", 2, "carol");
    Feed.privately(server, "t1", 3, "alice");
    EventContext tick = next();
    assertThat(tick.getEvent()).isEqualTo("tick");
    assertThat(tick.get("data")).isEqualTo(Map.of("n", 1, "text", "tick 1"));
    assertThat(tick.get("n")).isEqualTo(1);
    EventContext mine = next();
    assertThat(mine.getEvent()).isEqualTo("private");
    assertThat(mine.get("n")).isEqualTo(3);
  }

  @Test
  @DisplayName("C2 O1 O3: call returns the operation's result; a failed call throws with the other side's status")
  void calls() {
    assertThat(remote.call("ticks", Map.of("start", 10, "count", 2))).isEqualTo(2);
    assertThat(List.of(next().get("n"), next().get("n"))).containsExactly(10, 11);
    assertThatThrownBy(() -> remote.call("ticks", Map.of("start", "ten", "count", 1)))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> remote.call("noSuchOperation", Map.of()))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(404));
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
