package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.STRICT;
import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.ScriptedOutputStream;
import dev.capws.websocket.internal.connection.TestConnections;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/** The local broker with a history: positions in the order clients get the events, and catching up through it. */
class LocalBrokerHistoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
  private final List<LocalBroker> brokers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    brokers.forEach(LocalBroker::close);
  }

  private LocalBroker broker(int capacity) {
    LocalBroker broker = LocalBroker.withHistory(registry, FanOutBound.events(capacity), 10_000, 60_000);
    brokers.add(broker);
    return broker;
  }

  private ScriptedOutputStream client(WebSocketEndpoint endpoint, String name) {
    Connection connection = connection(endpoint, user(name, "t1"), null);
    assertThat(registry.add(connection)).isTrue();
    return TestConnections.attach(connection);
  }

  private static Envelope event(WebSocketEndpoint endpoint, String text, boolean positioned) {
    return new Envelope(endpoint.serviceName(), "t1", "tick",
        "{\"event\":\"tick\",\"data\":{\"text\":\"" + text + "\"}}", everyone(), 0, positioned);
  }

  private static JsonNode json(String frame) {
    try {
      return JSON.readTree(frame.substring("text:".length()));
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + frame, e);
    }
  }

  @Test
  @DisplayName("B3: with concurrent publishers, the order every client gets equals the order of the positions")
  void positionsInFanOutOrder() throws Exception {
    LocalBroker broker = broker(4);
    ScriptedOutputStream alice = client(TARGETED, "alice");
    ScriptedOutputStream bob = client(TARGETED, "bob");
    int threads = 4;
    int each = 100;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread publisher = new Thread(() -> {
        try {
          start.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          broker.publish(event(TARGETED, thread + "-" + i, true));
        }
      }, "test-publisher-" + t);
      publishers.add(publisher);
      publisher.start();
    }
    start.countDown();
    for (Thread publisher : publishers) {
      publisher.join(10_000);
    }

    List<String> aliceFrames = alice.awaitFrames(threads * each);
    List<String> bobFrames = bob.awaitFrames(threads * each);
    assertThat(aliceFrames).hasSize(threads * each);
    assertThat(bobFrames).as("every client gets the same sequence").isEqualTo(aliceFrames);

    List<Position> positions = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    for (String frame : aliceFrames) {
      JsonNode node = json(frame);
      assertThat(node.get("seq")).as("every positioned event carries its seq: %s", frame).isNotNull();
      positions.add(Position.parse(node.get("seq").asText()));
      texts.add(node.get("data").get("text").asText());
    }
    assertThat(positions).doesNotContainNull().doesNotHaveDuplicates().isSorted();
    assertThat(positions).extracting(Position::epoch).containsOnly(positions.get(0).epoch());
    assertThat(texts).hasSize(threads * each);
    for (int t = 0; t < threads; t++) { // each publisher's events in its order
      List<String> own = new ArrayList<>();
      for (String frame : aliceFrames) {
        String text = json(frame).get("data").get("text").asText();
        if (text.startsWith(t + "-")) {
          own.add(text);
        }
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        expected.add(t + "-" + i);
      }
      assertThat(own).containsExactlyElementsOf(expected);
    }

    // and the history holds them in that same order
    Optional<List<Delivery>> after = broker.since(TARGETED.serviceName(), positions.get(0));
    assertThat(after).isPresent();
    assertThat(after.get()).extracting(Delivery::position).containsExactlyElementsOf(positions.subList(1,
        positions.size()));
  }

  @Test
  @DisplayName("B3: since() through the broker: what followed, per service; events without recovery are not kept")
  void sinceThroughTheBroker() throws Exception {
    LocalBroker broker = broker(16);
    ScriptedOutputStream targeted = client(TARGETED, "alice");
    ScriptedOutputStream strict = client(STRICT, "alice");
    broker.publish(event(TARGETED, "t1", true));
    broker.publish(event(STRICT, "s1", true));
    broker.publish(event(TARGETED, "plain", false));
    broker.publish(event(TARGETED, "t2", true));
    broker.publish(event(TARGETED, "t3", true));

    List<String> frames = targeted.awaitFrames(4);
    assertThat(frames).hasSize(4);
    assertThat(json(frames.get(1)).get("seq")).as("not positioned: no seq").isNull();
    assertThat(strict.awaitFrames(1)).hasSize(1);
    Position first = Position.parse(json(frames.get(0)).get("seq").asText());

    Optional<List<Delivery>> missed = broker.since(TARGETED.serviceName(), first);
    assertThat(missed).isPresent();
    assertThat(missed.get()).extracting(d -> d.envelope().frame())
        .containsExactly(event(TARGETED, "t2", true).frame(), event(TARGETED, "t3", true).frame());
    assertThat(missed.get().get(0).frame()).isEqualTo(frames.get(2).substring("text:".length()));
    assertThat(missed.get().get(1).frame()).isEqualTo(frames.get(3).substring("text:".length()));

    Position last = Position.parse(json(frames.get(3)).get("seq").asText());
    assertThat(broker.since(TARGETED.serviceName(), last)).hasValue(List.of());
    assertThat(broker.since(TARGETED.serviceName(), new Position("elsewhere", 1, 0))).isEmpty();
  }

  @Test
  @DisplayName("B3: without history nothing is positioned and nothing can be caught up")
  void withoutHistory() throws Exception {
    LocalBroker broker = new LocalBroker(registry, FanOutBound.events(16));
    brokers.add(broker);
    ScriptedOutputStream alice = client(TARGETED, "alice");
    broker.publish(event(TARGETED, "t1", true));
    assertThat(alice.awaitFrames(1)).containsExactly("text:" + event(TARGETED, "t1", true).frame());
    assertThat(broker.since(TARGETED.serviceName(), new Position("any", 0, 0))).isEmpty();
  }
}
