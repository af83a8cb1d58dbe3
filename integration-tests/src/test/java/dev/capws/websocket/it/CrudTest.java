package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.WsClient;

/**
 * O2: CRUD over the socket on CrudService, as alice (t1), carol (t1) and erin (t1, admin). An untargeted
 * "everyone" event, emitted after each step, is the barrier that shows who got a broadcast and who did not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CrudTest {

  private static int nextId = 1000;

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  WsClient alice;
  WsClient carol;
  WsClient erin;
  int barriers;

  @BeforeEach
  void connect() {
    alice = WsClient.connect(ws(), basic("alice", "alice"));
    carol = WsClient.connect(ws(), basic("carol", "carol"));
    erin = WsClient.connect(ws(), basic("erin", "erin"));
  }

  @AfterEach
  void disconnect() {
    alice.close();
    carol.close();
    erin.close();
  }

  @Test
  @DisplayName("O2: create, read, readDeep, update, list and delete; the others hear created/updated/deleted")
  void lifecycle() {
    int id = ++nextId;
    JsonNode created = call(alice, "Notes:create", Map.of("ID", id, "title", "first", "body", "secret body",
        "items", List.of(Map.of("ID", id, "text", "item"))));
    assertThat(created.get("data").get("title").asText()).isEqualTo("first");
    List<List<JsonNode>> heard = heard();
    assertThat(heard.get(0)).isEmpty(); // the sender is left out
    // a declared event Notes.created shapes the payload: no body, no items
    assertThat(heard.get(1)).extracting(JsonNode::toString)
        .containsExactly("{\"event\":\"Notes:created\",\"data\":{\"ID\":" + id + ",\"title\":\"first\"}}");
    assertThat(heard.get(2)).hasSize(1);

    assertThat(call(carol, "Notes:read", Map.of("ID", id)).at("/data/body").asText()).isEqualTo("secret body");
    JsonNode deep = call(carol, "Notes:readDeep", Map.of("ID", id)).get("data");
    assertThat(deep.at("/items/0/text").asText()).isEqualTo("item");

    JsonNode updated = call(carol, "Notes:update", Map.of("ID", id, "title", "second"));
    assertThat(updated.at("/data/title").asText()).isEqualTo("second");
    assertThat(updated.at("/data/body").asText()).isEqualTo("secret body");
    heard = heard();
    // no declared Notes.updated: the keys only (@ws.broadcast default 'key')
    assertThat(heard.get(0)).extracting(JsonNode::toString)
        .containsExactly("{\"event\":\"Notes:updated\",\"data\":{\"ID\":" + id + "}}");
    assertThat(heard.get(1)).isEmpty();

    JsonNode list = call(erin, "Notes:list", Map.of("title", "second")).get("data");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("ID").asInt()).isEqualTo(id);

    assertThat(call(erin, "Notes:delete", Map.of("ID", id)).get("data").toString())
        .isEqualTo("{\"ID\":" + id + "}");
    heard = heard();
    assertThat(heard.get(0)).extracting(JsonNode::toString)
        .containsExactly("{\"event\":\"Notes:deleted\",\"data\":{\"ID\":" + id + "}}");
    assertThat(heard.get(2)).isEmpty();
    assertThat(call(carol, "Notes:read", Map.of("ID", id)).get("data").isNull()).isTrue();
  }

  @Test
  @DisplayName("O2: @ws.broadcast 'data' with @ws.broadcast.all sends the row to everyone, the sender too")
  void broadcastDataToAll() {
    int id = ++nextId;
    call(alice, "Tasks:create", Map.of("ID", id, "title", "t", "done", false));
    List<List<JsonNode>> heard = heard();
    for (List<JsonNode> frames : heard) {
      assertThat(frames).extracting(JsonNode::toString).containsExactly(
          "{\"event\":\"Tasks:created\",\"data\":{\"ID\":" + id + ",\"title\":\"t\",\"done\":false}}");
    }
  }

  @Test
  @DisplayName("O2: @ws.broadcast 'none' announces nothing")
  void broadcastNone() {
    call(alice, "Quiet:create", Map.of("ID", ++nextId, "name", "q"));
    assertThat(heard()).allSatisfy(frames -> assertThat(frames).isEmpty());
  }

  @Test
  @DisplayName("O2 A3: @restrict applies over the socket as over OData")
  void authorization() {
    int id = ++nextId;
    JsonNode refused = call(alice, "Guarded:create", Map.of("ID", id, "title", "no"));
    assertThat(refused.at("/error/status").asInt()).isEqualTo(403);
    assertThat(heard()).allSatisfy(frames -> assertThat(frames).isEmpty());
    assertThat(call(erin, "Guarded:create", Map.of("ID", id, "title", "yes")).at("/data/title").asText())
        .isEqualTo("yes");
    assertThat(call(alice, "Guarded:read", Map.of("ID", id)).at("/data/title").asText()).isEqualTo("yes");
    assertThat(call(alice, "Guarded:delete", Map.of("ID", id)).at("/error/status").asInt()).isEqualTo(403);
  }

  @Test
  @DisplayName("O2: bound actions run on the row the keys name")
  void boundAction() {
    int id = ++nextId;
    call(alice, "Notes:create", Map.of("ID", id, "title", "p"));
    assertThat(call(alice, "Notes:pin", Map.of("ID", id, "label", "top")).get("data").asText())
        .isEqualTo("pinned " + id + " as top");
  }

  @Test
  @DisplayName("O2: bad CRUD input gets a 400/404 error frame and changes nothing")
  void badInput() {
    assertThat(call(alice, "Notes:read", Map.of()).at("/error/code").asText()).isEqualTo("MISSING_KEY");
    assertThat(call(alice, "Notes:read", Map.of("ID", "one")).at("/error/code").asText())
        .isEqualTo("INVALID_PARAMETER");
    assertThat(call(alice, "Notes:create", Map.of("ID", ++nextId, "nope", 1)).at("/error/code").asText())
        .isEqualTo("INVALID_DATA");
    assertThat(call(alice, "Notes:create", Map.of("ID", ++nextId, "title", List.of(1))).at("/error/status").asInt())
        .isEqualTo(400);
    assertThat(call(alice, "Notes:explode", Map.of("ID", 1)).at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    assertThat(call(alice, "Nope:create", Map.of("ID", 1)).at("/error/code").asText()).isEqualTo("UNKNOWN_EVENT");
    alice.send("{\"event\":\"Notes:create\",\"data\":[1]}");
    assertThat(alice.next().at("/error/code").asText()).isEqualTo("INVALID_DATA");
    assertThat(heard()).allSatisfy(frames -> assertThat(frames).isEmpty());
  }

  private JsonNode call(WsClient client, String event, Map<String, Object> data) {
    client.send(Map.of("event", event, "data", data));
    // the reply; broadcasts that came before it stay for heard()
    return client.take(frame -> event.equals(frame.get("event").asText()));
  }

  /** Emits a barrier and returns what alice, carol and erin received before it. */
  private List<List<JsonNode>> heard() {
    String barrier = "barrier-" + (++barriers);
    return Barrier.framesBefore(barrier, () -> runtime.requestContext()
        .user(UserInfo.create().setName("system").setTenant("t1")).run(context -> {
          EventContext event = EventContext.create("everyone", null);
          event.put("data", Map.of("text", barrier));
          runtime.getServiceCatalog().getService("CrudService").emit(event);
        }), alice, carol, erin);
  }

  private URI ws() {
    return URI.create("ws://localhost:" + port + "/ws/crud");
  }
}
