package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

/** A3: CAP's @requires and @restrict apply over the socket (entity @restrict is in CrudTest). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthorizationTest {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Test
  @DisplayName("A3: @requires on an operation: refused with 403 for others, allowed for the role")
  void operation() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient erin = connect("/ws/hook", "erin")) {
      alice.send(Map.of("event", "adminOnly", "data", Map.of()));
      JsonNode refused = alice.next("adminOnly");
      assertThat(refused.at("/error/status").asInt()).isEqualTo(403);
      erin.send(Map.of("event", "adminOnly", "data", Map.of()));
      assertThat(erin.next("adminOnly").get("data").asText()).isEqualTo("for admins");
    }
  }

  @Test
  @DisplayName("A3: @requires on a service: only users with the role may connect (it pushes events to all)")
  void service() {
    assertThat(WsClient.handshakeStatus(ws("/ws/admin-socket"), basic("alice", "alice"))).isEqualTo(403);
    try (WsClient erin = connect("/ws/admin-socket", "erin")) {
      erin.send(Map.of("event", "hello", "data", Map.of()));
      assertThat(erin.next().get("data").asText()).isEqualTo("hello admin erin");
    }
  }

  @Test
  @DisplayName("A3: @restrict on a WebSocket service applies as over OData: users without a privilege get 403")
  void serviceRestrict() {
    assertThat(WsClient.handshakeStatus(ws("/ws/restricted-socket"), basic("alice", "alice"))).isEqualTo(403);
    assertThat(WsClient.handshakeStatus(ws("/ws/restricted-socket"), basic("erin", "erin"))).isEqualTo(101);
  }

  @Test
  @DisplayName("A3 P3: a mixin event of a service with its own @requires or @restrict, joined to another service's "
      + "path, reaches only the clients its own service allows")
  void mixinOfGuardedService() {
    try (WsClient alice = connect("/ws/hook", "alice"); WsClient erin = connect("/ws/hook", "erin")) {
      emit("RequiresMixinService", "adminNews", "requires");
      emit("RestrictMixinService", "restrictedNews", "restrict");
      List<List<JsonNode>> before = Barrier.framesBefore("barrier",
          () -> emit("HookService", "ping", "barrier"), alice, erin);
      assertThat(before.get(0)).as("alice (no role admin) received").isEmpty();
      assertThat(before.get(1).stream().map(frame -> frame.get("event").asText()))
          .as("erin (admin) received").containsExactly("adminNews", "restrictedNews");
    }
  }

  /** Emits an event with this text in tenant t1, as an admin (the guarded services check the emitter too). */
  private void emit(String service, String event, String text) {
    UserInfo admin = UserInfo.create().setName("emitter").setTenant("t1").setIsAuthenticated(true)
        .setRoles(Set.of("admin"));
    runtime.requestContext().user(admin).run(context -> {
      EventContext emit = EventContext.create(event, null);
      emit.put("data", new HashMap<>(Map.of("text", text)));
      runtime.getServiceCatalog().getService(service).emit(emit);
    });
  }

  private WsClient connect(String path, String user) {
    return WsClient.connect(ws(path), basic(user, user));
  }

  private URI ws(String path) {
    return URI.create("ws://localhost:" + port + path);
  }
}
