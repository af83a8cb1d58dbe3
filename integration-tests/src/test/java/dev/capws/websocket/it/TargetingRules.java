package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.Service;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.EmitHeaders;
import dev.capws.websocket.api.Operator;
import dev.capws.websocket.test.WsClient;

/**
 * E4-E7 through real sockets: alice (t1, connected as ?id=tab-1), carol (t1, ?id=tab-2) and erin (t1, role admin)
 * on TargetService. After each emit, an untargeted "everyone" event acts as a barrier: events leave in order (those
 * of one emitting instance, across instances too), so whatever a client did not get before the barrier, it never
 * gets.
 *
 * <p>The rules run where the subclass says: on one instance ({@link TargetingTest}), or with the events emitted on
 * one instance and the clients on another ({@link ScaleOutTargetingTest}).
 */
abstract class TargetingRules {

  /** The runtime whose services emit the events (and the barriers). */
  protected abstract CdsRuntime emitter();

  /** The port the WebSocket clients connect to. */
  protected abstract int clientPort();

  /** The port OData requests go to. */
  protected abstract int odataPort();

  WsClient alice;
  WsClient carol;
  WsClient erin;
  int barriers;

  @BeforeEach
  void connect() {
    alice = WsClient.connect(ws("/ws/target?id=tab-1"), basic("alice", "alice"));
    carol = WsClient.connect(ws("/ws/target?id=tab-2"), basic("carol", "carol"));
    erin = WsClient.connect(ws("/ws/target"), basic("erin", "erin"));
  }

  @AfterEach
  void disconnect() {
    alice.close();
    carol.close();
    erin.close();
  }

  @Test
  @DisplayName("E4: @ws.user: 'includeCurrent' reaches the emitting user's clients only")
  void includeCurrentUser() {
    emit("alice", "mine", Map.of("text", "m"));
    assertReceived("mine", true, false, false);
  }

  @Test
  @DisplayName("E4: @websocket.currentUser.exclude reaches everyone but the emitting user")
  void excludeCurrentUser() {
    emit("alice", "othersOnly", Map.of("text", "o"));
    assertReceived("othersOnly", false, true, true);
  }

  @Test
  @DisplayName("E4: static users (@ws.user.exclude), roles (@ws.role) and identifiers (@ws.identifier.exclude)")
  void staticValues() {
    emit("erin", "notCarol", Map.of("text", "n"));
    assertReceived("notCarol", true, false, true);
    emit("alice", "forAdmins", Map.of("text", "a"));
    assertReceived("forAdmins", false, false, true);
    emit("alice", "notTab1", Map.of("text", "t"));
    assertReceived("notTab1", false, true, true);
  }

  @Test
  @DisplayName("E4 E5: @ws.broadcast.context reaches the clients in that context; exit and reset stop delivery")
  void contexts() {
    emit("alice", "news", Map.of("text", "nobody in news yet"));
    assertReceived("news", false, false, false);

    enter(alice, Map.of("context", "news"));
    enter(erin, Map.of("contexts", List.of("sports", "news")));
    emit("carol", "news", Map.of("text", "n1"));
    assertReceived("news", true, false, true);

    enter(alice, Map.of("context", "news", "exit", true));
    enter(erin, Map.of("reset", true));
    emit("carol", "news", Map.of("text", "n2"));
    assertReceived("news", false, false, false);
  }

  @Test
  @DisplayName("E5: the service's wsContext operation is called with the frame's data and gives the reply")
  void wsContextOperation() {
    alice.send(Map.of("event", "wsContext", "data", Map.of("contexts", List.of("a", "b"), "reset", true), "id", 3));
    JsonNode reply = alice.next();
    assertThat(reply.get("event").asText()).isEqualTo("wsContext");
    assertThat(reply.get("data").asText()).isEqualTo("contexts null [a, b] exit null reset true");
    assertThat(reply.get("id").asInt()).isEqualTo(3);
    alice.send(Map.of("event", "wsContext", "data", Map.of("context", Map.of("not", "a string"))));
    assertThat(alice.next().at("/error/code").asText()).isEqualTo("INVALID_PARAMETER");
  }

  @Test
  @DisplayName("E5: when the service's wsContext operation refuses, the client does not enter the context")
  void refusedContext() {
    alice.send(Map.of("event", "wsContext", "data", Map.of("context", "secret")));
    assertThat(alice.next("wsContext").at("/error/status").asInt()).isEqualTo(403);
    emit("carol", "headed", Map.of("text", "s"), headers -> headers.contexts("secret"));
    assertReceived("headed", false, false, false);
  }

  @Test
  @DisplayName("E4 E7: element annotations take their values from the data; @ws.ignore elements are never sent")
  void elementValues() {
    Map<String, Object> data = new HashMap<>();
    data.put("text", "to alice and erin");
    data.put("users", List.of("alice", "erin"));
    data.put("secret", "never on the wire");
    emit("carol", "targeted", data);
    List<List<JsonNode>> received = received();
    JsonNode frame = received.get(0).get(0);
    assertThat(frame.get("data").has("secret")).isFalse();
    assertThat(frame.at("/data/users").size()).isEqualTo(2);
    assertThat(received.get(1)).isEmpty();
    assertThat(received.get(2)).hasSize(1);

    // Exclusion wins: erin is named but in the excluded context.
    enter(erin, Map.of("context", "busy"));
    emit("carol", "targeted", Map.of("text", "x", "users", List.of("alice", "erin"), "notIn", "busy"));
    assertReceived("targeted", true, false, false);

    // Identifiers from the data; the current user excluded by a truthy flag.
    emit("carol", "targeted", Map.of("text", "y", "ids", List.of("tab-1", "tab-2"), "skipMe", true));
    assertReceived("targeted", true, false, false);
  }

  @Test
  @DisplayName("E4: @ws.operator.include: 'and' needs every include layer to match")
  void andOperator() {
    enter(alice, Map.of("context", "c1"));
    enter(carol, Map.of("context", "c1"));
    emit("erin", "both", Map.of("text", "b", "user", "alice", "context", "c1"));
    assertReceived("both", true, false, false);
  }

  @Test
  @DisplayName("E4: emit headers in the Node plugin's spellings, set from Java; exclusion wins; 'and' by header")
  void emitHeaders() {
    emit("erin", "headed", Map.of("text", "h1"), headers -> headers.users("alice", "carol").excludeUsers("carol"));
    assertReceived("headed", true, false, false);

    emit("erin", "headed", Map.of("text", "h2"), headers -> headers.put("wsRoles", "admin"));
    assertReceived("headed", false, false, true);

    emit("erin", "headed", Map.of("text", "h3"),
        headers -> headers.put("identifier", Map.of("include", List.of("tab-1", "tab-2"), "exclude", "tab-2")));
    assertReceived("headed", true, false, false);

    enter(carol, Map.of("context", "vip"));
    emit("erin", "headed", Map.of("text", "h4"),
        headers -> headers.contexts("vip").users("alice").includeOperator(Operator.AND));
    assertReceived("headed", false, false, false);
    emit("erin", "headed", Map.of("text", "h5"), headers -> headers.contexts("vip").users("alice"));
    assertReceived("headed", true, true, false);

    emit("erin", "headed", Map.of("text", "h6"), headers -> headers.includeCurrentUser());
    assertReceived("headed", false, false, true);
    emit("erin", "headed", Map.of("text", "h7"), headers -> headers.put("currentUserExclude", true));
    assertReceived("headed", true, true, false);
  }

  @Test
  @DisplayName("E4: the frame carries the ws/websocket header sections as \"headers\"")
  void formatHeaders() {
    emit("erin", "headed", Map.of("text", "f"), headers -> headers.ws(Map.of("a", 1)).put("websocket", Map.of("b", "c")));
    JsonNode frame = received().get(0).get(0);
    assertThat(frame.get("headers").get("a").asInt()).isEqualTo(1);
    assertThat(frame.get("headers").get("b").asText()).isEqualTo("c");
    assertThat(frame.fieldNames()).toIterable().containsExactly("event", "data", "headers");
  }

  @Test
  @DisplayName("E6: an OData request names its client's ?id= in x-ws-identifier-exclude, and that socket is left out")
  void identifierFromHttpHeader() throws Exception {
    try (WsClient tab1 = WsClient.connect(ws("/ws/both?id=tab-1"), basic("alice", "alice"));
        WsClient tab2 = WsClient.connect(ws("/ws/both?id=tab-2"), basic("alice", "alice"))) {
      HttpResponse<String> created = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + odataPort() + "/odata/v4/BothService/Items"))
              .header("Authorization", basic("alice", "alice").get("Authorization"))
              .header("Content-Type", "application/json").header("X-WS-Identifier-Exclude", "tab-1")
              .POST(HttpRequest.BodyPublishers.ofString("{\"ID\":" + System.nanoTime() % 100000 + ",\"name\":\"x\"}"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(tab2.next().get("event").asText()).isEqualTo("itemAdded");
      // tab-1 got nothing: its next frame is the reply to its own call.
      tab1.send(Map.of("event", "nothing", "data", Map.of()));
      assertThat(tab1.next().at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    }
  }

  @Test
  @DisplayName("E6 A2: HTTP headers never widen recipients: with the 'and' exclude operator, an x-ws-context-exclude "
      + "naming an unknown context does not cancel the event's own exclusion")
  void httpExcludeNeverCancelsExclusion() throws Exception {
    try (WsClient tab1 = WsClient.connect(ws("/ws/both?id=tab-1"), basic("alice", "alice"));
        WsClient tab2 = WsClient.connect(ws("/ws/both?id=tab-2"), basic("alice", "alice"))) {
      long first = createItem("X-WS-Context-Exclude", "nowhere");
      long second = createItem("X-WS-Ignored", "x"); // a barrier: events of BothService leave in order
      assertThat(tab2.next("itemAddedNotTab1").at("/data/ID").asLong()).isEqualTo(first);
      // itemAddedNotTab1 (@ws.identifier.exclude: 'tab-1') never reached tab-1 between the two itemAdded events
      assertThat(List.of(tab1.next(), tab1.next()).stream().map(f -> f.get("event").asText() + " "
          + f.at("/data/ID").asLong()).toList()).containsExactly("itemAdded " + first, "itemAdded " + second);
    }
  }

  /** Creates an item of BothService over OData with one extra header; returns its ID. */
  private long createItem(String header, String value) throws Exception {
    long id = System.nanoTime() % 1_000_000_000L;
    HttpResponse<String> created = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + odataPort() + "/odata/v4/BothService/Items"))
            .header("Authorization", basic("alice", "alice").get("Authorization"))
            .header("Content-Type", "application/json").header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString("{\"ID\":" + id + ",\"name\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    return id;
  }

  @Test
  @DisplayName("E7: a parameter marked @ws.ignore cannot be set by a client")
  void ignoredParameter() {
    alice.send(Map.of("event", "echoHidden", "data", Map.of("text", "t", "hidden", "injected")));
    assertThat(alice.next().get("data").asText()).isEqualTo("t/null");
  }

  @Test
  @DisplayName("A2 E5: contexts are per tenant: a context of the same name in another tenant hears nothing")
  void contextsPerTenant() {
    try (WsClient bob = WsClient.connect(ws("/ws/target"), basic("bob", "bob"))) {
      enter(bob, Map.of("context", "news"));
      enter(alice, Map.of("context", "news"));
      emit("carol", "news", Map.of("text", "t1 news"));
      assertReceived("news", true, false, false);
      emitAs(user("x", "t2"), "everyone", Map.of("text", "t2 barrier"), headers -> {});
      assertThat(bob.next().at("/data/text").asText()).isEqualTo("t2 barrier");
    }
  }

  // --- helpers

  private void enter(WsClient client, Map<String, Object> data) {
    client.send(Map.of("event", "wsContext", "data", data));
    assertThat(client.next("wsContext").has("error")).isFalse();
  }

  private void emit(String user, String event, Map<String, Object> data) {
    emit(user, event, data, headers -> {});
  }

  private void emit(String user, String event, Map<String, Object> data, Consumer<EmitHeaders> headers) {
    emitAs(user(user, "t1"), event, data, headers);
  }

  private void emitAs(UserInfo user, String event, Map<String, Object> data, Consumer<EmitHeaders> headers) {
    CdsRuntime runtime = emitter();
    runtime.requestContext().user(user).run(context -> {
      EventContext emit = EventContext.create(event, null);
      emit.put("data", new HashMap<>(data));
      headers.accept(EmitHeaders.of(emit));
      Service service = runtime.getServiceCatalog().getService("TargetService");
      service.emit(emit);
    });
  }

  private static UserInfo user(String name, String tenant) {
    return UserInfo.create().setName(name).setTenant(tenant).setIsAuthenticated(true);
  }

  /** Emits one barrier and returns, for alice, carol and erin, what each got before it. */
  private List<List<JsonNode>> received() {
    String barrier = "barrier-" + (++barriers);
    return Barrier.framesBefore(barrier, () -> emit("system", "everyone", Map.of("text", barrier)), alice, carol,
        erin);
  }

  /** Which of alice, carol and erin got exactly one {@code event} before the barrier; the others got nothing. */
  private void assertReceived(String event, boolean byAlice, boolean byCarol, boolean byErin) {
    List<List<JsonNode>> received = received();
    boolean[] expected = { byAlice, byCarol, byErin };
    String[] names = { "alice", "carol", "erin" };
    for (int i = 0; i < expected.length; i++) {
      assertThat(received.get(i).stream().map(frame -> frame.get("event").asText()).toList())
          .as(names[i] + " received").isEqualTo(expected[i] ? List.of(event) : List.of());
    }
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + clientPort() + path);
  }
}
