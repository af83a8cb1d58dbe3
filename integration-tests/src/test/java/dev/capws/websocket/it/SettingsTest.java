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
import org.springframework.test.context.TestPropertySource;

import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/** The settings under cds.websocket.* change what they say; the Node-compatible switches restore its behaviour. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "cds.websocket.replies=false", "cds.websocket.max-message-size=1000",
    "cds.websocket.path=/realtime", "cds.websocket.shape-payload=false", "cds.websocket.after-commit=false",
    "cds.websocket.subprotocols=graphql-ws", "cds.websocket.heartbeat-interval=0", "cds.websocket.send-timeout=500" })
class SettingsTest {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Autowired
  HookLog hooks;

  @Test
  @DisplayName("O3: with replies off, calls run but, as in the Node plugin, nothing answers them")
  void repliesOff() {
    try (WsClient alice = connect("/realtime/hook")) {
      alice.send(Map.of("event", "whoAmI", "data", Map.of()));
      alice.send("not json");
      alice.send(Map.of("event", "emitPing", "data", Map.of("text", "only event")));
      // The first frame is the event: neither the reply to whoAmI nor the error for the bad frame was sent.
      assertThat(alice.next().get("event").asText()).isEqualTo("ping");
      alice.send(Map.of("event", "emitPing", "data", Map.of("text", "second")));
      assertThat(alice.next().at("/data/text").asText()).isEqualTo("second");
    }
  }

  @Test
  @DisplayName("E1 E2: the Node plugin's behaviour on request: undeclared fields pass, events leave before the commit")
  void nodeCompatibleDelivery() {
    try (WsClient alice = connect("/realtime/hook")) {
      runtime.requestContext().systemUser("t1").run(context -> {
        hookService.emit(HookEvents.ping("raw", Map.of("extra", 1)));
      });
      assertThat(alice.next().at("/data/extra").asInt()).isEqualTo(1);

      alice.send(Map.of("event", "emitThenFail", "data", Map.of("text", "sent although rolled back")));
      assertThat(alice.next().at("/data/text").asText()).isEqualTo("sent although rolled back");
    }
  }

  @Test
  @DisplayName("Limits: cds.websocket.max-message-size bounds inbound messages (1009 above it)")
  void maxMessageSize() {
    try (WsClient alice = connect("/realtime/hook")) {
      alice.send("{\"event\":\"emitPing\",\"data\":{\"text\":\"" + "x".repeat(900) + "\"}}");
      assertThat(alice.next().get("event").asText()).isEqualTo("ping");
      alice.send("{\"event\":\"emitPing\",\"data\":{\"text\":\"" + "x".repeat(1000) + "\"}}");
      assertThat(alice.awaitClose().code()).isEqualTo(1009);
    }
  }

  @Test
  @DisplayName("P2: cds.websocket.path moves every relative endpoint; absolute paths stay")
  void prefix() {
    assertThat(WsClient.handshakeStatus(ws("/realtime/hook"), basic("alice", "alice"))).isEqualTo(101);
    assertThat(WsClient.handshakeStatus(ws("/ws/hook"), basic("alice", "alice"))).isIn(401, 404);
    assertThat(WsClient.handshakeStatus(ws("/custom/socket"), basic("alice", "alice"))).isEqualTo(101);
  }

  @Test
  @DisplayName("P2: cds.websocket.subprotocols are agreed by every endpoint, besides a format's own (pcp)")
  void configuredSubprotocols() {
    try (WsClient alice = WsClient.connect(ws("/realtime/hook"), basic("alice", "alice"), "x", "graphql-ws")) {
      assertThat(alice.subprotocol()).isEqualTo("graphql-ws");
    }
    try (WsClient alice = WsClient.connect(ws("/realtime/pcp"), basic("alice", "alice"), "v10.pcp.sap.com")) {
      assertThat(alice.subprotocol()).isEqualTo("v10.pcp.sap.com");
    }
  }

  @Test
  @DisplayName("B2: with heartbeat-interval 0 (no pings) a client that stops reading is still closed after send-timeout")
  void sendTimeoutWithoutHeartbeat() throws InterruptedException {
    try (RawSocket stalled = RawSocket.upgrade(port, "/realtime/hook", basic("erin", "erin"))) {
      assertThat(hooks.next("erin")).isEqualTo("connect erin t1");
      String padding = "x".repeat(64 * 1024); // 200 x 64 KiB: more than the TCP buffers hold, less than the queue
      runtime.requestContext().systemUser("t1").run(context -> {
        for (int i = 0; i < 200; i++) {
          hookService.emit(HookEvents.ping(i + ":" + padding));
        }
      });
      // it never reads: the write waits, and after 500 ms the check closes it (its close frame cannot leave, so the
      // close timeout ends it)
      assertThat(hooks.next("erin")).isEqualTo("disconnect erin 1001");
    }
  }

  @Test
  @DisplayName("C3: the browser client moves with cds.websocket.path and, like the upgrade, needs the login")
  void clientScript() throws Exception {
    HttpResponse<String> script = get("/realtime/client.js", basic("alice", "alice"));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
    assertThat(script.body()).contains("global.CapWebSocket = {");
    assertThat(get("/realtime/client.js", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/ws/client.js", basic("alice", "alice")).statusCode()).isIn(401, 404);
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private WsClient connect(String path) {
    return WsClient.connect(ws(path), basic("alice", "alice"));
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + port + path);
  }
}
