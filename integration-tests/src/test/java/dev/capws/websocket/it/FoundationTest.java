package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/**
 * The foundation through real sockets against a CAP app with mock users in two tenants and an H2 database: hooks,
 * identity, tenants, transactions, errors, and the annotation forms of the model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FoundationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  HookLog hooks;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Test
  @DisplayName("A1: the upgrade goes through CAP's authentication: no or wrong credentials get 401, no upgrade")
  void authentication() {
    assertThat(WsClient.handshakeStatus(ws("/ws/hook"))).isEqualTo(401);
    assertThat(WsClient.handshakeStatus(ws("/ws/hook"), basic("alice", "wrong"))).isEqualTo(401);
    assertThat(WsClient.handshakeStatus(ws("/ws/hook"), basic("alice", "alice"))).isEqualTo(101);
  }

  @Test
  @DisplayName("E3: wsConnect and wsDisconnect(reason) run as the connection's user; closed connections are gone")
  void lifecycleHooks() throws Exception {
    WebSocketClients clients = WebSockets.clients(runtime);
    WsClient first = connect("/ws/hook", "dave");
    assertThat(hooks.next("dave")).isEqualTo("connect dave t2");
    first.close();
    assertThat(hooks.next("dave")).isEqualTo("disconnect dave 1000");

    WsClient second = connect("/ws/hook", "dave");
    assertThat(hooks.next("dave")).isEqualTo("connect dave t2");
    assertThat(HookEvents.connectionsOf(clients, "t2", "dave")).isEqualTo(1);
    second.abort();
    assertThat(hooks.next("dave")).isEqualTo("disconnect dave 1006");
    // wsDisconnect runs after the connection left the registry: nothing of it is left behind.
    assertThat(HookEvents.connectionsOf(clients, "t2", "dave")).isZero();
  }

  @Test
  @DisplayName("O1: every call runs as the user and tenant of the upgrade request")
  void identity() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient solo = connect("/ws/hook", "solo")) {
      alice.send(Map.of("event", "whoAmI", "data", Map.of()));
      assertThat(alice.next("whoAmI").get("data").asText()).isEqualTo("alice@t1");
      solo.send(Map.of("event", "whoAmI", "data", Map.of()));
      assertThat(solo.next("whoAmI").get("data").asText()).isEqualTo("solo@null");
    }
  }

  @Test
  @DisplayName("E1 A2: an event reaches the clients of the emitting tenant only")
  void tenantIsolation() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient carol = connect("/ws/hook", "carol");
        WsClient bob = connect("/ws/hook", "bob")) {
      alice.send(Map.of("event", "emitPing", "data", Map.of("text", "for t1")));
      assertThat(alice.next("ping").get("data").toString()).isEqualTo("{\"text\":\"for t1\",\"sender\":\"alice\"}");
      assertThat(carol.next("ping").at("/data/text").asText()).isEqualTo("for t1");

      // Events leave in commit order, so if Alice's ping had gone to Bob it would come before his own.
      bob.send(Map.of("event", "emitPing", "data", Map.of("text", "for t2")));
      assertThat(bob.next("ping").at("/data/text").asText()).isEqualTo("for t2");
      carol.send(Map.of("event", "emitPing", "data", Map.of("text", "t1 again")));
      assertThat(alice.next("ping").at("/data/text").asText()).isEqualTo("t1 again");
    }
  }

  @Test
  @DisplayName("E2 O3: an operation that fails after emitting sends the error, and the event never leaves")
  void rollback() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient carol = connect("/ws/hook", "carol")) {
      alice.send(Map.of("event", "emitThenFail", "data", Map.of("text", "never"), "id", 1));
      JsonNode error = alice.next("emitThenFail");
      assertThat(error.at("/error/status").asInt()).isEqualTo(409);
      assertThat(error.at("/error/code").asText()).isEqualTo("STATUS_409");
      assertThat(error.at("/error/message").asText()).isEqualTo("Failed after emitting");
      assertThat(error.get("id").asInt()).isEqualTo(1);

      alice.send(Map.of("event", "emitPing", "data", Map.of("text", "committed")));
      assertThat(carol.next("ping").at("/data/text").asText()).isEqualTo("committed");
      assertThat(alice.next("ping").at("/data/text").asText()).isEqualTo("committed");
    }
  }

  @Test
  @DisplayName("E1 E2: an emit from code outside any request (a job) goes out at once, to its tenant, shaped")
  void emitOutsideRequest() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient bob = connect("/ws/hook", "bob")) {
      runtime.requestContext().systemUser("t1").run(context -> {
        hookService.emit(HookEvents.ping("from a job", Map.of("secret", "not declared, not sent")));
      });
      assertThat(alice.next().toString()).isEqualTo("{\"event\":\"ping\",\"data\":{\"text\":\"from a job\"}}");
      bob.send(Map.of("event", "emitPing", "data", Map.of("text", "bob's own")));
      assertThat(bob.next("ping").at("/data/text").asText()).isEqualTo("bob's own");
    }
  }

  @Test
  @DisplayName("E2: an emit inside a change set that is cancelled never leaves; the next committed one does")
  void cancelledChangeSet() {
    try (WsClient alice = connect("/ws/hook", "alice")) {
      runtime.requestContext().systemUser("t1").run(context -> {
        runtime.changeSetContext().run(changeSet -> {
          hookService.emit(HookEvents.ping("cancelled"));
          changeSet.markForCancel();
        });
        hookService.emit(HookEvents.ping("committed"));
      });
      assertThat(alice.next().at("/data/text").asText()).isEqualTo("committed");
    }
  }

  @Test
  @DisplayName("O3 B1: refusals carry CAP's status and code; server faults are 500 without internal details")
  void errors() {
    try (WsClient alice = connect("/ws/hook", "alice")) {
      alice.send(Map.of("event", "fail", "data", Map.of("status", 403)));
      assertThat(alice.next().toString()).isEqualTo(
          "{\"event\":\"fail\",\"error\":{\"status\":403,\"code\":\"STATUS_403\",\"message\":\"Refused with 403\"}}");
      alice.send(Map.of("event", "fail", "data", Map.of("status", 500), "id", "x"));
      assertThat(alice.next().toString()).isEqualTo("{\"event\":\"fail\",\"error\":{\"status\":500,"
          + "\"code\":\"INTERNAL_ERROR\",\"message\":\"Internal server error\"},\"id\":\"x\"}");
      alice.send(Map.of("event", "whoAmI", "data", Map.of()));
      assertThat(alice.next("whoAmI").get("data").asText()).isEqualTo("alice@t1");
    }
  }

  @Test
  @DisplayName("O1 B1: structured results come back as JSON objects")
  void structuredResult() {
    try (WsClient alice = connect("/ws/hook", "alice")) {
      alice.send(Map.of("event", "echo", "data", Map.of("text", "a", "count", 2), "id", 5));
      JsonNode reply = alice.next();
      assertThat(reply.get("event").asText()).isEqualTo("echo");
      assertThat(reply.get("data")).isEqualTo(JsonNodeFactory.instance.objectNode().put("text", "a").put("count", 2));
      assertThat(reply.get("id").asInt()).isEqualTo(5);
    }
  }

  @Test
  @DisplayName("P1 E1: a service that is both OData and WebSocket notifies its socket clients of OData writes")
  void odataAndWebSocket() throws Exception {
    try (WsClient alice = connect("/ws/both", "alice"); WsClient hook = connect("/ws/hook", "alice")) {
      HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(http("/odata/v4/BothService/Items"))
          .header("Authorization", basic("alice", "alice").get("Authorization"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"ID\":1,\"name\":\"first\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(alice.next().toString()).isEqualTo("{\"event\":\"itemAdded\",\"data\":{\"ID\":1,\"name\":\"first\"}}");

      // Service isolation: the HookService client got nothing; its next frame is its own reply.
      hook.send(Map.of("event", "whoAmI", "data", Map.of()));
      assertThat(hook.next().get("event").asText()).isEqualTo("whoAmI");
    }
  }

  @Test
  @DisplayName("P2: an absolute @path is served as it is, and not below the prefix")
  void absolutePath() {
    try (WsClient alice = connect("/custom/socket", "alice")) {
      alice.send(Map.of("event", "sayHello", "data", Map.of("text", "abs")));
      assertThat(alice.next().get("data").asText()).isEqualTo("Hello, abs");
    }
    assertThat(WsClient.handshakeStatus(ws("/ws/absolute"), basic("alice", "alice"))).isEqualTo(404);
    assertThat(WsClient.handshakeStatus(ws("/ws/custom/socket"), basic("alice", "alice"))).isEqualTo(404);
  }

  @Test
  @DisplayName("P2 F2: a subprotocol is agreed only if the service speaks it: none for json, v10.pcp.sap.com for pcp "
      + "(as UI5's SapPcpWebSocket offers it); never simply the client's first offer")
  void subprotocol() {
    try (WsClient alice = WsClient.connect(ws("/ws/hook"), basic("alice", "alice"), "first", "v10.pcp.sap.com")) {
      assertThat(alice.subprotocol()).isEmpty();
    }
    try (WsClient alice = WsClient.connect(ws("/ws/pcp"), basic("alice", "alice"), "first", "v10.pcp.sap.com")) {
      assertThat(alice.subprotocol()).isEqualTo("v10.pcp.sap.com");
    }
  }

  @Test
  @DisplayName("P2: Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455, 4.2.1); anything else gets 400")
  void webSocketKey() {
    Map<String, String> alice = basic("alice", "alice");
    assertThat(RawSocket.upgradeStatus(port, "/ws/hook", "AAAAAAAAAAAAAAAAAAAAAA==", alice)).isEqualTo(101);
    assertThat(RawSocket.upgradeStatus(port, "/ws/hook", "AAAAAAAAAAA=", alice)).as("8 bytes").isEqualTo(400);
    assertThat(RawSocket.upgradeStatus(port, "/ws/hook", "AAAAAAAAAAAAAAAAAAAAAAAA", alice)).as("18 bytes")
        .isEqualTo(400);
    assertThat(RawSocket.upgradeStatus(port, "/ws/hook", "not a base64 key at all!", alice)).isEqualTo(400);
  }

  private WsClient connect(String path, String user) {
    return WsClient.connect(ws(path), basic(user, user));
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + port + path);
  }

  private URI http(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
