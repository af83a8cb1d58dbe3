package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/** The limits of docs/security.md, each set low here so a test can reach it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "cds.websocket.allowed-origins=https://app.example.com",
    "cds.websocket.max-connections-per-user=3", "cds.websocket.max-connections=12",
    "cds.websocket.max-messages-per-second=10", "cds.websocket.max-contexts=3",
    "cds.websocket.heartbeat-interval=1000" })
class LimitsTest {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookLog hooks;

  @Test
  @DisplayName("A1: a browser upgrade from a foreign origin gets 403; same origin, allowed origins and non-browsers pass")
  void origins() {
    assertThat(status(Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
    assertThat(status(Map.of("Origin", "http://localhost:" + port + "0"))).isEqualTo(403);
    assertThat(status(Map.of("Origin", "http://localhost:" + port))).isEqualTo(101);
    assertThat(status(Map.of("Origin", "https://app.example.com"))).isEqualTo(101);
    assertThat(status(Map.of())).isEqualTo(101);
  }

  @Test
  @DisplayName("Limits: one user may hold 3 connections; the 4th is refused with 503, others are not affected")
  void connectionsPerUser() throws InterruptedException {
    List<WsClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(connect("dave"));
      }
      assertThat(WsClient.handshakeStatus(ws(), basic("dave", "dave"))).isEqualTo(503);
      try (WsClient other = connect("bob")) {
        other.send(Map.of("event", "whoAmI", "data", Map.of()));
        assertThat(other.next().get("data").asText()).isEqualTo("bob@t2");
      }
      held.remove(0).close();
      // the freed slot can be used again once the server has seen the close
      assertThat(hooks.next("dave")).startsWith("connect dave");
      String entry;
      do {
        entry = hooks.next("dave");
      } while (!entry.startsWith("disconnect"));
      held.add(connect("dave"));
    } finally {
      held.forEach(WsClient::close);
    }
  }

  @Test
  @DisplayName("Limits: the instance holds at most 12 connections; the 13th is refused with 503")
  void connectionsInAll() {
    awaitNoConnections(); // clients of earlier tests may still be closing on the server side
    List<WsClient> held = new ArrayList<>();
    try {
      for (String user : List.of("alice", "carol", "erin", "bob")) {
        for (int i = 0; i < 3; i++) {
          held.add(connect(user));
        }
      }
      assertThat(WsClient.handshakeStatus(ws(), basic("solo", "solo"))).isEqualTo(503);
    } finally {
      held.forEach(WsClient::close);
    }
  }

  @Test
  @DisplayName("Limits P4: a custom route's clients count against the per-user and the instance limit like any other")
  void routeClientsCount() throws InterruptedException {
    awaitNoConnections();
    Map<RawSocket, String> held = new java.util.LinkedHashMap<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.put(RawSocket.upgrade(port, "/ws/echo", basic("dave", "dave")), "dave");
      }
      assertThat(WsClient.handshakeStatus(echo(), basic("dave", "dave"))).as("4th route session").isEqualTo(503);
      assertThat(WsClient.handshakeStatus(ws(), basic("dave", "dave"))).as("service after 3 routes").isEqualTo(503);
      for (String user : List.of("alice", "carol", "erin")) {
        for (int i = 0; i < 3; i++) {
          held.put(RawSocket.upgrade(port, "/ws/echo", basic(user, user)), user);
        }
      }
      assertThat(WsClient.handshakeStatus(ws(), basic("solo", "solo"))).as("13th in all").isEqualTo(503);
    } finally {
      // one by one, each awaited: the slots are free again once the server has seen every close
      for (Map.Entry<RawSocket, String> client : held.entrySet()) {
        client.getKey().close();
        assertThat(hooks.next(client.getValue(), "route")).startsWith("route " + client.getValue());
      }
    }
  }

  @Test
  @DisplayName("Limits: messages beyond the rate are dropped with 429 frames naming the call's id; the connection goes on")
  void rate() {
    try (WsClient alice = connect("alice")) {
      for (int i = 0; i < 200; i++) {
        alice.send(Map.of("event", "whoAmI", "data", Map.of(), "id", i));
      }
      java.util.Set<Integer> ids = new java.util.HashSet<>();
      int answered = 0;
      int limited = 0;
      for (int i = 0; i < 200; i++) {
        JsonNode frame = alice.next();
        ids.add(frame.get("id").asInt());
        if (frame.has("error")) {
          assertThat(frame.get("event").asText()).isEqualTo("whoAmI");
          assertThat(frame.at("/error/status").asInt()).isEqualTo(429);
          assertThat(frame.at("/error/code").asText()).isEqualTo("RATE_LIMITED");
          limited++;
        } else {
          answered++;
        }
      }
      // a burst of twice the rate, plus what refills while the 200 arrive: far fewer than 200 on any machine
      assertThat(answered).isBetween(20, 120);
      assertThat(limited).isEqualTo(200 - answered);
      assertThat(ids).hasSize(200); // every call is accounted for, by its id
    }
  }

  @Test
  @DisplayName("Limits: pings take from the message rate: beyond it they go unanswered, and the next call gets 429")
  void pingsCount() {
    try (RawSocket raw = RawSocket.upgrade(port, "/ws/hook", basic("alice", "alice"))) {
      for (int i = 0; i < 100; i++) {
        raw.send(RawSocket.PING, new byte[] { (byte) i }, true, true);
      }
      raw.sendText("{\"event\":\"whoAmI\",\"data\":{},\"id\":\"after\"}");
      // Pongs waiting to be written replace each other, so how many arrive depends on the socket; which pings they
      // answer does not: only those within the burst of 20 (and the little that refills meanwhile).
      List<Integer> answered = new ArrayList<>();
      RawSocket.Frame frame;
      while ((frame = raw.read()).opcode() == RawSocket.PONG) {
        answered.add((int) frame.payload()[0]);
      }
      assertThat(answered).as("pings answered, of 100 at 10 per second, bursts of 20").isNotEmpty()
          .allMatch(ping -> ping < 40);
      assertThat(frame.text()).contains("\"RATE_LIMITED\"").contains("\"id\":\"after\"");
    }
  }

  @Test
  @DisplayName("Limits: each fragment takes from the message rate: a call in 50 fragments is refused with 429")
  void fragmentsCount() {
    try (RawSocket raw = RawSocket.upgrade(port, "/ws/hook", basic("alice", "alice"))) {
      byte[] call = "{\"event\":\"whoAmI\",\"data\":{},\"id\":50}".getBytes(StandardCharsets.UTF_8);
      int pieces = 50;
      int size = (call.length + pieces - 1) / pieces;
      for (int i = 0; i * size < call.length; i++) {
        int from = i * size;
        int to = Math.min(call.length, from + size);
        raw.send(i == 0 ? RawSocket.TEXT : 0x0, Arrays.copyOfRange(call, from, to), to == call.length, true);
      }
      String answer = raw.read().text();
      // refused from its first 1 KiB alone, never assembled nor run: the 429 still names the call
      assertThat(answer).contains("\"RATE_LIMITED\"").contains("\"id\":50");
    }
  }

  @Test
  @DisplayName("Limits: a connection can be in at most 3 contexts; more get 400 TOO_MANY_CONTEXTS")
  void contexts() {
    try (WsClient alice = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/target"),
        basic("alice", "alice"))) {
      alice.send(Map.of("event", "wsContext", "data", Map.of("contexts", List.of("a", "b", "c", "a"))));
      assertThat(alice.next("wsContext").has("error")).isFalse();
      alice.send(Map.of("event", "wsContext", "data", Map.of("context", "d")));
      JsonNode error = alice.next("wsContext");
      assertThat(error.at("/error/code").asText()).isEqualTo("TOO_MANY_CONTEXTS");
      alice.send(Map.of("event", "wsContext", "data", Map.of("reset", true, "context", "d")));
      assertThat(alice.next("wsContext").has("error")).isFalse();
    }
  }

  @Test
  @DisplayName("Heartbeat: the server pings; a client that answers stays, one that goes silent is closed and removed")
  void heartbeat() throws InterruptedException {
    try (RawSocket silent = RawSocket.upgrade(port, "/ws/hook", basic("erin", "erin"));
        WsClient lively = connect("carol")) {
      assertThat(silent.readAny().opcode()).isEqualTo(RawSocket.PING); // it never answers
      // the JDK client answers pings by itself: after the silent one is gone, it is still served
      assertThat(hooks.next("erin")).isEqualTo("connect erin t1");
      assertThat(hooks.next("erin")).startsWith("disconnect erin");
      assertThat(WebSockets.clients(runtime).of("HookService", "t1"))
          .noneMatch(c -> c.user().equals("erin"));
      lively.send(Map.of("event", "whoAmI", "data", new HashMap<>()));
      assertThat(lively.next("whoAmI").get("data").asText()).isEqualTo("carol@t1");
    }
  }

  @Test
  @DisplayName("Limits: a client that resets the connection right after its upgrade request leaves nothing listed "
      + "(it was listed before its 101, which never went out)")
  void resetBeforeStart() {
    awaitNoConnections();
    for (int i = 0; i < 5; i++) {
      RawSocket.resetAfterRequest(port, "/ws/hook", basic("carol", "carol"));
    }
    // within the close timeout (5 s) the server gives up on connections that never started
    awaitNoConnections(15);
    for (int i = 0; i < 3; i++) { // carol's per-user slots are free too
      connect("carol").close();
    }
  }

  /** Waits, bounded, until the server has processed every earlier close. */
  private void awaitNoConnections() {
    awaitNoConnections(5);
  }

  private void awaitNoConnections(int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (WebSockets.clients(runtime).count() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(WebSockets.clients(runtime).count()).isZero();
  }

  private WsClient connect(String user) {
    return WsClient.connect(ws(), basic(user, user));
  }

  private int status(Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(basic("alice", "alice"));
    all.putAll(headers);
    return WsClient.handshakeStatus(ws(), all);
  }

  private URI echo() {
    return URI.create("ws://localhost:" + port + "/ws/echo");
  }

  private URI ws() {
    return URI.create("ws://localhost:" + port + "/ws/hook");
  }
}
