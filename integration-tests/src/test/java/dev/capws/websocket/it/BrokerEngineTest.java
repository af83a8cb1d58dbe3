package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.spi.BrokerMessage;
import dev.capws.websocket.test.WsClient;

/**
 * S2: a broker engine of the application's own ({@link MemoryBusEngine}, listed in META-INF/services) chosen with
 * {@code cds.websocket.broker}: two instances exchange events through it, with the same targeting, "all but the
 * sender" and catch-up from the engine's history as over Redis.
 */
class BrokerEngineTest {

  static Instances instances;

  @BeforeAll
  static void start() {
    instances = new Instances("broker-engine", "cds.websocket.broker=memory-bus");
    instances.start();
    instances.start();
  }

  @AfterAll
  static void stop() {
    instances.close();
  }

  @Test
  @DisplayName("S2: events cross instances through the engine; tenant and user filters apply where the clients are")
  void acrossInstances() {
    CdsRuntime zero = instances.runtime(0);
    try (WsClient alice = connect(1, "alice"); WsClient carol = connect(1, "carol"); WsClient bob = connect(1, "bob")) {
      Feed.tick(zero, "t1", 1);
      Feed.privately(zero, "t1", 2, "alice");
      Feed.tick(zero, "t2", 3);
      Feed.tick(zero, "t1", 4);
      assertThat(Feed.events(alice, 3)).containsExactly("tick 1", "private 2", "tick 4");
      assertThat(Feed.events(carol, 2)).containsExactly("tick 1", "tick 4");
      assertThat(Feed.events(bob, 1)).containsExactly("tick 3");
    }
  }

  @Test
  @DisplayName("S2: all but the sender across instances: the sender's instance leaves it out, the others reach "
      + "everyone")
  void allButTheSender() {
    try (WsClient sender = connect(0, "erin"); WsClient besideIt = connect(0, "alice");
        WsClient elsewhere = connect(1, "carol")) {
      sender.send(Map.of("event", "tellOthers", "data", Map.of("text", "hello")));
      assertThat(besideIt.next("tick").at("/data/text").asText()).isEqualTo("hello");
      assertThat(elsewhere.next("tick").at("/data/text").asText()).isEqualTo("hello");
      // the action's reply, awaited before the next tick: a call's emits and its reply have no defined order
      // (protocol.md), so the others may have the event before the sender has the reply
      assertThat(sender.next().path("event").asText()).isEqualTo("tellOthers");
      Feed.tick(instances.runtime(1), "t1", 10);
      assertThat(Feed.events(sender, 1)).containsExactly("tick 10"); // not the sender's own "hello" before it
    }
  }

  @Test
  @DisplayName("S2 B3: a client catches up on another instance from the engine's history, filtered for its user")
  void catchUp() {
    CdsRuntime zero = instances.runtime(0);
    String seq;
    try (WsClient alice = connect(1, "alice")) {
      Feed.tick(zero, "t1", 20);
      seq = Feed.seq(Feed.nextTick(alice));
    }
    Feed.tick(zero, "t1", 21);
    Feed.privately(zero, "t1", 22, "carol");
    Feed.privately(zero, "t1", 23, "alice");
    try (WsClient alice = Feed.connect(instances.port(0), "alice", seq)) {
      assertThat(Feed.recovered(alice)).isEqualTo(2);
      assertThat(Feed.events(alice, 2)).containsExactly("tick 21", "private 23");
      Feed.tick(zero, "t1", 24);
      assertThat(Feed.events(alice, 1)).containsExactly("tick 24");
    }
  }

  @Test
  @DisplayName("S2: a message from the engine that is not an event is skipped with a log line; delivery goes on")
  void notAnEnvelope() {
    try (WsClient alice = connect(1, "alice")) {
      MemoryBusEngine.HUB.append(new BrokerMessage("junk-1", "FeedService", "elsewhere", "{not json"));
      MemoryBusEngine.HUB.append(new BrokerMessage("junk-2", "FeedService", "elsewhere", "{\"frame\":\"x\"}"));
      Feed.tick(instances.runtime(0), "t1", 30);
      assertThat(Feed.events(alice, 1)).containsExactly("tick 30");
    }
  }

  @Test
  @DisplayName("S2: an unknown broker name stops the start, naming the brokers there are")
  void unknownBroker() {
    Instances wrong = new Instances("broker-engine-wrong", "cds.websocket.broker=nats");
    assertThatThrownBy(wrong::start)
        .hasStackTraceContaining("Unknown cds.websocket.broker 'nats': local, redis, memory-bus");
    wrong.close();
  }

  private static WsClient connect(int instance, String user) {
    return Feed.connect(instances.port(instance), user);
  }
}
