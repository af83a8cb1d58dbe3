package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;
import dev.capws.websocket.test.SocketIoClient;

/** C1: stopping an application of the socket.io kind, with clients on both transports. */
class SocketIoShutdownTest {

  private static final int EVENTS = 300;

  @Test
  @DisplayName("C1: a graceful stop delivers every committed event to long-polling and WebSocket clients, then disconnects them")
  void gracefulStop() {
    ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class)
        .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:socket-io-shutdown;DB_CLOSE_DELAY=-1",
            "cds.websocket.kind=socket.io")
        .run();
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    CdsRuntime runtime = app.getBean(CdsRuntime.class);
    HookService hooks = app.getBean(HookService.class);
    try (SocketIoClient.Running clients = SocketIoClient.start("shutdown", "http://localhost:" + port, "default",
        Map.of("EVENTS", String.valueOf(EVENTS)))) {
      clients.awaitLine("ready");
      runtime.requestContext().user(UserInfo.create().setName("job").setTenant("t1")).run(context -> {
        for (int i = 0; i < EVENTS; i++) {
          hooks.emit(HookEvents.ping("event " + i));
        }
      });
      app.close(); // right after the emits: most are still queued
      JsonNode seen = clients.result();
      for (String client : new String[] { "polling", "websocket" }) {
        assertThat(seen.at("/" + client + "/received").asInt()).as(client).isEqualTo(EVENTS);
        assertThat(seen.at("/" + client + "/inOrder").asBoolean()).as(client).isTrue();
        // what a restarting Node server causes too: the client reconnects by itself
        assertThat(seen.at("/" + client + "/reason").asText()).as(client).isEqualTo("transport close");
      }
      assertThat(seen.at("/polling/transport").asText()).isEqualTo("polling");
    } finally {
      app.close();
    }
  }
}
