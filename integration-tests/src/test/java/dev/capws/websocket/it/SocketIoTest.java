package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.test.SocketIoClient;
import dev.capws.websocket.test.WsClient;

/**
 * C1: the socket.io kind, with the official socket.io-client (test-support/socketio-client/client.js) in both of its transport
 * configurations: the default (long-polling first, then the upgrade to WebSocket) and WebSocket only. The raw
 * protocol tests send what no well-behaved client sends. The heartbeat is short here, so that the clients' pongs are
 * part of every scenario and a silent client is dropped within the tests' waits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "cds.websocket.kind=socket.io", "cds.websocket.heartbeat-interval=2000" })
class SocketIoTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  HookLog hooks;

  @ParameterizedTest(name = "C1: operations answer in acks, with results and errors as the Node plugin's; events arrive ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void calls(String transport) {
    JsonNode seen = SocketIoClient.run("calls", port, transport);
    assertThat(seen.get("firstTransport").asText()).isEqualTo("default".equals(transport) ? "polling" : "websocket");
    assertThat(seen.get("finalTransport").asText()).isEqualTo("websocket");
    assertThat(seen.get("echo")).hasToString("{\"count\":2,\"text\":\"hi\"}");
    assertThat(seen.get("who").asText()).isEqualTo("alice@t1");
    assertThat(seen.get("failed")).hasToString("{\"error\":{\"code\":\"STATUS_409\",\"message\":\"Refused with 409\"}}");
    // a server fault keeps its details in the log
    assertThat(seen.get("crashed")).hasToString("{\"error\":{\"code\":\"500\",\"message\":\"Internal server error\"}}");
    assertThat(seen.at("/unknown/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    assertThat(seen.get("sent").asText()).isEqualTo("sent");
    assertThat(seen.get("pinged")).hasToString("{\"text\":\"hello\",\"sender\":\"alice\"}");
    assertThat(seen.get("after")).hasToString("{\"count\":3,\"text\":\"after\"}");
  }

  @ParameterizedTest(name = "C1: contexts are rooms: wsContext enters and leaves them, broadcasts reach their members only ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void rooms(String transport) {
    JsonNode seen = SocketIoClient.run("rooms", port, transport);
    assertThat(seen.get("entered").asText()).isEqualTo("contexts room-a null exit null reset null");
    assertThat(seen.get("secret"))
        .hasToString("{\"error\":{\"code\":\"403\",\"message\":\"Context secret is not for you\"}}");
    JsonNode heard = seen.get("heard");
    assertThat(heard.at("/alice/text").asText()).isEqualTo("to room a");
    assertThat(heard.at("/erin/text").asText()).isEqualTo("to room a");
    assertThat(heard.at("/carol/text").asText()).isEqualTo("only carol"); // not in room-a: the shout passed her by
    assertThat(heard.at("/aliceAgain/text").asText()).isEqualTo("again");
    assertThat(heard.at("/erinAgain/text").asText()).isEqualTo("only erin"); // she left room-a
  }

  @ParameterizedTest(name = "C1: CRUD events: the result in the ack, Notes:created to the others, errors in the ack ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void crud(String transport) {
    JsonNode seen = SocketIoClient.run("crud", port, transport);
    int id = seen.get("id").asInt();
    assertThat(seen.get("created")).hasToString("{\"ID\":" + id + ",\"title\":\"first\",\"body\":\"secret body\"}");
    assertThat(seen.get("heard")).hasToString("{\"ID\":" + id + ",\"title\":\"first\"}"); // shaped by Notes.created
    assertThat(seen.at("/read/body").asText()).isEqualTo("secret body");
    assertThat(seen.at("/missing/error/message").asText()).contains("Unique constraint violated");
  }

  @ParameterizedTest(name = "C1: refused: no credentials (401 on the handshake), an unknown namespace, a service for admins only ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void refused(String transport) {
    JsonNode seen = SocketIoClient.run("refused", port, transport);
    assertThat(seen.get("anonymous").asText()).isIn("xhr poll error", "websocket error");
    assertThat(seen.get("unknown").asText()).isEqualTo("Invalid namespace");
    assertThat(seen.get("forbidden").asText()).isEqualTo("403");
    assertThat(seen.get("hello").asText()).isEqualTo("hello admin erin");
  }

  @Test
  @DisplayName("C1: 200 clients (long-polling, then upgraded) each get all 20 events, in order")
  void many() {
    JsonNode seen = SocketIoClient.run("many", "http://localhost:" + port, "default",
        Map.of("CLIENTS", "200", "EVENTS", "20"));
    assertThat(seen.get("clients").asInt()).isEqualTo(200);
    assertThat(seen.get("received").asInt()).isEqualTo(200 * 20);
    assertThat(seen.get("inOrder").asBoolean()).isTrue();
  }

  @Test
  @DisplayName("C1: events emitted while a client upgrades from long-polling to WebSocket all arrive, in order")
  void eventsDuringTheUpgrade() {
    JsonNode seen = SocketIoClient.run("switch", port, "default");
    // every event from the first the listener got to the last emitted, in order, across the switch
    assertThat(seen.get("contiguous").asBoolean()).isTrue();
    assertThat(seen.get("first").asInt() + seen.get("received").asInt()).isEqualTo(seen.get("emitted").asInt());
    assertThat(seen.get("transport").asText()).isEqualTo("websocket");
    assertThat(seen.get("receivedAtUpgrade").asInt()).isNotNegative();
  }

  @Test
  @DisplayName("C1: raw Engine.IO over WebSocket: open packet, namespace connect, ack; a malformed packet closes with 1002")
  void rawWebSocket() {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("alice", "alice"))) {
      String open = client.nextText();
      assertThat(open).startsWith("0{\"sid\":\"")
          .endsWith("\"upgrades\":[],\"pingInterval\":2000,\"pingTimeout\":20000,\"maxPayload\":1048576}");
      client.send("40/ws/nope,");
      assertThat(nextPacket(client)).isEqualTo("44/ws/nope,{\"message\":\"Invalid namespace\"}");
      client.send("40/ws/hook,");
      assertThat(nextPacket(client)).matches("40/ws/hook,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
      client.send("42/ws/hook,7[\"whoAmI\"]");
      assertThat(nextPacket(client)).isEqualTo("43/ws/hook,7[\"alice@t1\"]");
      client.send("42/ws/hook,[\"echo\",{\"text\":\"no ack wanted\"}]"); // runs, answers nothing
      client.send("42/ws/hook,8[\"echo\",{\"text\":\"x\",\"count\":1}]");
      assertThat(nextPacket(client)).isEqualTo("43/ws/hook,8[{\"count\":1,\"text\":\"x\"}]");
      client.send("42/ws/hook,9[\"echo\",{\"nope\":1}]");
      assertThat(nextPacket(client)).startsWith("43/ws/hook,9[{\"error\":{\"code\":\"UNKNOWN_PARAMETER\"");
      client.send("4garbage");
      assertThat(client.awaitClose().code()).isEqualTo(1002);
    }
  }

  @Test
  @DisplayName("C1: beyond max-messages-per-second, an event is dropped and its ack says RATE_LIMITED; the connection stays")
  void rateLimited() {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("alice", "alice"))) {
      client.nextText();
      client.send("40/ws/hook,");
      assertThat(nextPacket(client)).startsWith("40/ws/hook,");
      int burst = 300; // the limit is 100 per second with bursts of 200
      for (int i = 0; i < burst; i++) {
        client.send("42/ws/hook," + i + "[\"whoAmI\"]");
      }
      int answered = 0;
      int limited = 0;
      while (answered < burst) {
        String ack = nextPacket(client);
        answered++;
        if (ack.contains("\"RATE_LIMITED\"")) {
          limited++;
        } else {
          assertThat(ack).endsWith("[\"alice@t1\"]");
        }
      }
      assertThat(limited).isPositive();
      client.send("42/ws/hook,999[\"whoAmI\"]");
      assertThat(nextPacket(client)).matches("43/ws/hook,999\\[.*");
    }
  }

  @Test
  @DisplayName("C1: a service's format (pcp) is the event's one argument, as composed text, as in the Node plugin")
  void otherFormats() {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("alice", "alice"))) {
      client.nextText();
      client.send("40/ws/pcp,");
      assertThat(nextPacket(client)).startsWith("40/ws/pcp,");
      client.send("42/ws/pcp,1[\"receive\",{\"body\":\"hi\",\"priority\":1,\"urgent\":true}]");
      List<String> packets = List.of(nextPacket(client), nextPacket(client)); // the event leaves after the commit
      assertThat(packets).contains("43/ws/pcp,1[null]");
      String event = packets.stream().filter(packet -> packet.startsWith("42/ws/pcp,")).findFirst().orElseThrow();
      JsonNode arguments = parse(event.substring("42/ws/pcp,".length()));
      assertThat(arguments.get(0).asText()).isEqualTo("notification");
      assertThat(arguments.get(1).asText()).contains("pcp-action:notify").contains("got hi");
    }
  }

  @Test
  @DisplayName("C1: origins are checked on every Engine.IO request, as on plain WebSocket upgrades")
  void foreignOrigin() throws Exception {
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(engine("http", "polling"))
        .header("Authorization", basic("alice", "alice").get("Authorization"))
        .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    HttpResponse<String> same = HTTP.send(HttpRequest.newBuilder(engine("http", "polling"))
        .header("Authorization", basic("alice", "alice").get("Authorization"))
        .header("Origin", "http://localhost:" + port).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(same.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("C1: wsConnect on the namespace connect, wsDisconnect when the session ends, on either transport")
  void lifecycleHooks() throws Exception {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("dave", "dave"))) {
      client.nextText();
      client.send("40/ws/hook,");
      assertThat(hooks.next("dave", "connect")).isEqualTo("connect dave t2");
      client.send("41/ws/hook,"); // the client leaves the namespace: its only one, so the session ends
      assertThat(hooks.next("dave", "disconnect")).startsWith("disconnect dave");
    }
    String sid = handshake("bob");
    HTTP.send(request("bob", sid).POST(HttpRequest.BodyPublishers.ofString("40/ws/hook,")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(hooks.next("bob", "connect")).isEqualTo("connect bob t2");
    HTTP.send(request("bob", sid).POST(HttpRequest.BodyPublishers.ofString("41/ws/hook,")).build(),
        HttpResponse.BodyHandlers.ofString());
    // the session's close packet goes with the next poll; then the session is over
    assertThat(HTTP.send(request("bob", sid).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
        .endsWith("1");
    assertThat(hooks.next("bob", "disconnect")).startsWith("disconnect bob");
  }

  @Test
  @DisplayName("C1: Engine.IO heartbeat: the server pings every pingInterval; a client that does not answer is dropped")
  void heartbeat() {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("alice", "alice"))) {
      assertThat(client.nextText()).startsWith("0{"); // open
      assertThat(client.nextText()).isEqualTo("2");
      // no "3": the next beat finds the ping unanswered
      WsClient.Close close = client.awaitClose();
      assertThat(close.code()).isEqualTo(1001);
      assertThat(close.reason()).isEqualTo("No answer to ping");
    }
  }

  @Test
  @DisplayName("C1: an oversized message: 1009 over WebSocket, 413 for a long-polling POST")
  void oversized() throws Exception {
    try (WsClient client = WsClient.connect(engine("ws", "websocket"), basic("alice", "alice"))) {
      client.nextText();
      client.send("4" + "x".repeat(1024 * 1024));
      assertThat(client.awaitClose().code()).isEqualTo(1009);
    }
    String sid = handshake("alice");
    HttpResponse<String> post = HTTP.send(request("alice", sid)
        .POST(HttpRequest.BodyPublishers.ofString("4" + "x".repeat(1024 * 1024))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("C1: every long-polling request is checked: another user's session id gets 403, an unknown one 400")
  void pollingRequestsAreAuthorized() throws Exception {
    String sid = handshake("alice");
    assertThat(HTTP.send(request("carol", sid).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
    assertThat(HTTP.send(HttpRequest.newBuilder(engine("http", "polling&sid=" + sid)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = HTTP.send(request("alice", "nope").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    // the owner's own poll works: a namespace connect by POST, answered in the next poll
    HttpResponse<String> post = HTTP.send(request("alice", sid)
        .POST(HttpRequest.BodyPublishers.ofString("40/ws/hook,")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("ok");
    assertThat(HTTP.send(request("alice", sid).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
        .contains("40/ws/hook,{\"sid\":");
  }

  @Test
  @DisplayName("C1: only Engine.IO 4 at /socket.io/; the plain WebSocket endpoints are not served in this kind")
  void wrongRequests() throws Exception {
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
        + "/socket.io/?EIO=3&transport=polling")).header("Authorization", basic("alice", "alice").get("Authorization"))
        .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    assertThat(WsClient.handshakeStatus(URI.create("ws://localhost:" + port + "/ws/hook"), basic("alice", "alice")))
        .isEqualTo(404);
  }

  @Test
  @DisplayName("C1: CAP's index page lists the services as Socket.IO namespaces")
  void indexPage() throws Exception {
    String page = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
        .header("Authorization", basic("alice", "alice").get("Authorization")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(page).contains("Socket.IO Namespaces", "data-ws-path=\"/ws/hook\"", "'io(\"'");
  }

  /** The next Socket.IO packet, past the heartbeat's pings (answered, as a client does). */
  private static String nextPacket(WsClient client) {
    while (true) {
      String text = client.nextText();
      if (!"2".equals(text)) {
        return text;
      }
      client.send("3");
    }
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + json, e);
    }
  }

  private URI engine(String scheme, String transport) {
    return URI.create(scheme + "://localhost:" + port + "/socket.io/?EIO=4&transport=" + transport);
  }

  private HttpRequest.Builder request(String user, String sid) {
    return HttpRequest.newBuilder(engine("http", "polling&sid=" + sid)).header("Authorization",
        basic(user, user).get("Authorization"));
  }

  /** A long-polling session's handshake; its session id. */
  private String handshake(String user) throws IOException, InterruptedException {
    HttpResponse<String> open = HTTP.send(HttpRequest.newBuilder(engine("http", "polling"))
        .header("Authorization", basic(user, user).get("Authorization")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).startsWith("0{").contains("\"upgrades\":[\"websocket\"]");
    return MAPPER.readTree(open.body().substring(1)).get("sid").asText();
  }
}
