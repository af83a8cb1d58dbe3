package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.test.WsClient;

/** Stopping the application: events already committed reach the clients, then they are closed with 1001. */
class ShutdownTest {

  @Test
  @DisplayName("A graceful stop delivers every committed event, then closes clients with 1001")
  void gracefulStop() {
    ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class)
        .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:shutdown;DB_CLOSE_DELAY=-1").run();
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    CdsRuntime runtime = app.getBean(CdsRuntime.class);
    HookService hooks = app.getBean(HookService.class);
    try (WsClient alice = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"), basic("alice", "alice"))) {
      runtime.requestContext().user(UserInfo.create().setName("job").setTenant("t1")).run(context -> {
        for (int i = 0; i < 500; i++) {
          hooks.emit(HookEvents.ping("event " + i));
        }
      });
      app.close(); // right after the emits: most are still queued
      for (int i = 0; i < 500; i++) {
        assertThat(alice.next().at("/data/text").asText()).isEqualTo("event " + i);
      }
      WsClient.Close close = alice.awaitClose();
      assertThat(close.code()).isEqualTo(1001);
      assertThat(close.reason()).isEqualTo("Server shutting down");
    } finally {
      app.close();
    }
  }
}
