package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.test.WsClient;

/**
 * The tutorial, end to end: the real app on a random port, a real SQLite file, real WebSocket clients, OData calls
 * over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RollbackOnRequest.class)
class TutorialTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    Path file = Files.createTempFile("tutorial-test", ".sqlite");
    file.toFile().deleteOnExit();
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
  }

  @LocalServerPort
  int port;

  WsClient alice;
  WsClient bob;

  @BeforeEach
  void connect() {
    alice = WsClient.connect(ws("/ws/chat"));
    bob = WsClient.connect(ws("/ws/chat"));
  }

  @AfterEach
  void disconnect() {
    alice.close();
    bob.close();
  }

  @Test
  @DisplayName("E1 E2: create, update and delete over OData notify every client with the stored row")
  void tutorialFlow() throws Exception {
    JsonNode created = odata("POST", "/odata/v4/test/Data", Map.of("value", "first", "count", 1), 201);
    String id = created.get("ID").asText();
    for (WsClient client : new WsClient[] { alice, bob }) {
      JsonNode frame = client.next("serverNotification");
      assertThat(frame.fieldNames()).toIterable().containsExactly("event", "data");
      JsonNode data = frame.get("data");
      assertThat(data.get("type").asText()).isEqualTo("server");
      assertThat(data.get("action").asText()).isEqualTo("created");
      assertThat(data.get("entity").asText()).isEqualTo("Data");
      assertThat(data.get("data")).isEqualTo(JSON.readTree("{\"id\":\"" + id + "\",\"value\":\"first\",\"count\":1}"));
      assertThat(Instant.parse(data.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    // A PATCH carries only the value; the notification carries the stored row, count included.
    odata("PATCH", "/odata/v4/test/Data(" + id + ")", Map.of("value", "second"), 200);
    for (WsClient client : new WsClient[] { alice, bob }) {
      JsonNode data = client.next("serverNotification").get("data");
      assertThat(data.get("action").asText()).isEqualTo("updated");
      assertThat(data.get("data")).isEqualTo(JSON.readTree("{\"id\":\"" + id + "\",\"value\":\"second\",\"count\":1}"));
    }

    odata("DELETE", "/odata/v4/test/Data(" + id + ")", null, 204);
    for (WsClient client : new WsClient[] { alice, bob }) {
      JsonNode data = client.next("serverNotification").get("data");
      assertThat(data.get("action").asText()).isEqualTo("deleted");
      assertThat(data.get("data")).isEqualTo(JSON.readTree("{\"id\":\"" + id + "\",\"value\":null,\"count\":null}"));
    }
  }

  @Test
  @DisplayName("O1 B1: message calls the function as the client and replies to that client only, with its id")
  void messageReply() {
    alice.send(Map.of("event", "message", "data", Map.of("text", "hello"), "id", "a-1"));
    JsonNode reply = alice.next();
    assertThat(reply.toString()).isEqualTo("{\"event\":\"message\",\"data\":\"Message received: hello\",\"id\":\"a-1\"}");

    // Bob's next frame is the answer to his own call: he never saw Alice's reply.
    bob.send(Map.of("event", "message", "data", Map.of("text", "bob"), "id", 7));
    assertThat(bob.next().toString()).isEqualTo("{\"event\":\"message\",\"data\":\"Message received: bob\",\"id\":7}");
  }

  @Test
  @DisplayName("O1: a frame without event/data is the data of 'message', as in the Node plugin")
  void messageFallback() {
    alice.send("{\"text\":\"plain\"}");
    assertThat(alice.next().toString()).isEqualTo("{\"event\":\"message\",\"data\":\"Message received: plain\"}");
  }

  @Test
  @DisplayName("E1 O1: sendSystemMessage pushes systemMessage to every client and answers the caller")
  void systemMessage() {
    alice.send(Map.of("event", "sendSystemMessage", "data", Map.of("text", "maintenance at noon")));
    // The caller gets the event and the reply, in either order: the event leaves from the fan-out thread.
    Map<String, JsonNode> aliceFrames = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonNode frame = alice.next();
      aliceFrames.put(frame.get("event").asText(), frame);
    }
    assertThat(aliceFrames).containsOnlyKeys("systemMessage", "sendSystemMessage");
    assertThat(aliceFrames.get("sendSystemMessage").get("data").asText()).isEqualTo("System message sent");
    for (JsonNode frame : new JsonNode[] { aliceFrames.get("systemMessage"), bob.next() }) {
      assertThat(frame.get("event").asText()).isEqualTo("systemMessage");
      JsonNode data = frame.get("data");
      assertThat(data.get("type").asText()).isEqualTo("system");
      assertThat(data.get("level").asText()).isEqualTo("info");
      assertThat(data.get("text").asText()).isEqualTo("maintenance at noon");
      assertThat(data.get("timestamp").asText()).isNotEmpty();
    }
  }

  @Test
  @DisplayName("E2: a rolled-back transaction sends nothing, and its row is not stored")
  void rollbackSendsNothing() throws Exception {
    odata("POST", "/odata/v4/test/Data", Map.of("value", RollbackOnRequest.ROLL_BACK, "count", 9), 409);
    odata("POST", "/odata/v4/test/Data", Map.of("value", "kept", "count", 10), 201);
    // Notifications leave in commit order: the first one the clients see is the committed one.
    for (WsClient client : new WsClient[] { alice, bob }) {
      assertThat(client.next("serverNotification").at("/data/data/value").asText()).isEqualTo("kept");
    }
    JsonNode rows = odata("GET", "/odata/v4/test/Data?$filter=count%20eq%209", null, 200);
    assertThat(rows.get("value")).isEmpty();
  }

  @Test
  @DisplayName("P2: unknown paths are refused with 404 before any upgrade; a plain GET gets 426")
  void unknownPaths() throws Exception {
    assertThat(WsClient.handshakeStatus(ws("/ws/nope"))).isEqualTo(404);
    assertThat(WsClient.handshakeStatus(ws("/ws/chat/"))).isEqualTo(404);
    assertThat(WsClient.handshakeStatus(ws("/ws/Chat"))).isEqualTo(404);
    assertThat(WsClient.handshakeStatus(ws("/ws"))).isEqualTo(404);
    assertThat(WsClient.handshakeStatus(ws("/ws/chat?id=x"))).isEqualTo(101);
    HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(http("/ws/chat")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(426);
  }

  @Test
  @DisplayName("CAP's index page lists the WebSocket endpoint, with what makes the browser show its full URL")
  void indexPage() throws Exception {
    HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(http("/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(index.body()).contains("WebSocket").contains("<code data-ws-path=\"/ws/chat\">/ws/chat</code>")
        .contains("serverNotification").contains("'ws://') + location.host + e.dataset.wsPath")
        .doesNotContain("ws:/ws/chat");
  }

  @Test
  @DisplayName("O3: invalid JSON gets a 400 error frame; the connection and the other clients go on")
  void invalidJson() throws Exception {
    alice.send("{not json");
    JsonNode error = alice.next();
    assertThat(error.get("event").asText()).isEqualTo("error");
    assertThat(error.at("/error/status").asInt()).isEqualTo(400);
    assertThat(error.at("/error/code").asText()).isEqualTo("INVALID_JSON");

    alice.send("[1,2,3]");
    assertThat(alice.next().at("/error/code").asText()).isEqualTo("INVALID_FRAME");

    assertStillServed();
  }

  @Test
  @DisplayName("O3: an unknown event gets 404; a server event or a lifecycle hook sent by a client gets 400")
  void unknownEvent() throws Exception {
    alice.send(Map.of("event", "nope", "data", Map.of("x", 1), "id", 1));
    JsonNode error = alice.next();
    assertThat(error.get("event").asText()).isEqualTo("nope");
    assertThat(error.at("/error/status").asInt()).isEqualTo(404);
    assertThat(error.at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    assertThat(error.get("id").asInt()).isEqualTo(1);

    alice.send(Map.of("event", "serverNotification", "data", Map.of("type", "fake")));
    assertThat(alice.next().at("/error/code").asText()).isEqualTo("NOT_AN_OPERATION");

    assertStillServed();
  }

  @Test
  @DisplayName("O1: wrong parameter types and unknown parameters get 400 naming the parameter; no handler runs")
  void wrongParameters() throws Exception {
    alice.send(Map.of("event", "message", "data", Map.of("text", 42)));
    JsonNode error = alice.next();
    assertThat(error.at("/error/status").asInt()).isEqualTo(400);
    assertThat(error.at("/error/code").asText()).isEqualTo("INVALID_PARAMETER");
    assertThat(error.at("/error/target").asText()).isEqualTo("text");

    alice.send(Map.of("event", "message", "data", Map.of("text", "x", "extra", true)));
    error = alice.next();
    assertThat(error.at("/error/code").asText()).isEqualTo("UNKNOWN_PARAMETER");
    assertThat(error.at("/error/target").asText()).isEqualTo("extra");

    alice.send("{\"event\":\"message\",\"data\":\"just text\"}");
    assertThat(alice.next().at("/error/code").asText()).isEqualTo("INVALID_PARAMETERS");

    assertStillServed();
  }

  @Test
  @DisplayName("Limits: a message over 1 MiB closes that connection with 1009; one just under it is served")
  void oversizedMessage() throws Exception {
    String almost = "x".repeat(1024 * 1024 - 100);
    alice.send("{\"event\":\"message\",\"data\":{\"text\":\"" + almost + "\"}}");
    assertThat(alice.next().get("data").asText()).isEqualTo("Message received: " + almost);

    alice.send("{\"event\":\"message\",\"data\":{\"text\":\"" + "y".repeat(1024 * 1024) + "\"}}");
    assertThat(alice.awaitClose().code()).isEqualTo(1009);

    bob.send(Map.of("event", "message", "data", Map.of("text", "still here")));
    assertThat(bob.next().get("data").asText()).isEqualTo("Message received: still here");
    assertBroadcastReaches(bob);
  }

  @Test
  @DisplayName("O1: binary frames are read as text; invalid UTF-8 closes with 1007")
  void binaryFrames() throws Exception {
    alice.sendBinary("{\"event\":\"message\",\"data\":{\"text\":\"bin\"}}".getBytes("UTF-8"));
    assertThat(alice.next().get("data").asText()).isEqualTo("Message received: bin");

    alice.sendBinary(new byte[] { '{', (byte) 0xC3, (byte) 0x28, '}' });
    assertThat(alice.awaitClose().code()).isEqualTo(1007);
    assertBroadcastReaches(bob);
  }

  @Test
  @DisplayName("B2: a client that vanishes without a close frame does not disturb the others")
  void abruptDisconnect() throws Exception {
    alice.abort();
    assertBroadcastReaches(bob);
    try (WsClient carol = WsClient.connect(ws("/ws/chat"))) {
      assertBroadcastReaches(bob, carol);
    }
  }

  /** Bob is served and a broadcast reaches him: bad input elsewhere changed nothing for him or the data. */
  private void assertStillServed() throws Exception {
    alice.send(Map.of("event", "message", "data", Map.of("text", "after")));
    assertThat(alice.next().get("data").asText()).isEqualTo("Message received: after");
    assertBroadcastReaches(alice, bob);
  }

  private void assertBroadcastReaches(WsClient... clients) throws Exception {
    String value = "probe-" + System.nanoTime();
    odata("POST", "/odata/v4/test/Data", Map.of("value", value, "count", 1), 201);
    for (WsClient client : clients) {
      assertThat(client.next("serverNotification").at("/data/data/value").asText()).isEqualTo(value);
    }
  }

  private JsonNode odata(String method, String path, Object body, int expectedStatus) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(http(path)).header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
    return response.body().isEmpty() ? null : JSON.readTree(response.body());
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + port + path);
  }

  private URI http(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
