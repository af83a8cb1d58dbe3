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
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClientService;

/**
 * C2, what holds for every kind of client service: instance 1's client service {@code remote-feed} is a client, as
 * alice, of instance 0's FeedService; the subclasses choose the kind and add what is the kind's own.
 */
abstract class ClientServiceCases {

  static Instances instances;
  static WebSocketClientService remote;
  static final LinkedBlockingQueue<EventContext> ARRIVED = new LinkedBlockingQueue<>();

  /**
   * Starts the server (instance 0) and the client (instance 1) with {@code remote-feed} at the URL that
   * {@code url} makes of the server's port, and waits until it is connected.
   */
  static void start(String name, String serverProperty, IntFunction<String> url,
      String... clientProperties) {
    instances = new Instances(name, "cds.websocket.broker=local");
    instances.start(serverProperty);
    String alice = "Basic " + Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8));
    List<String> properties = new ArrayList<>(List.of(
        "cds.websocket.clients.remote-feed.url=" + url.apply(instances.port(0)),
        "cds.websocket.clients.remote-feed.headers.Authorization=" + alice,
        "cds.websocket.clients.remote-feed.reply-timeout=5000"));
    properties.addAll(List.of(clientProperties));
    instances.start(properties.toArray(String[]::new));
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
    assertThatThrownBy(() -> remote.call("noSuchOperation", Map.of()))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorStatus().getHttpStatus()).isEqualTo(404));
  }

  static EventContext next() {
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
