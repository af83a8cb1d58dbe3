package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.test.WsClient;

/** The opt-in Tomcat buffer sizes reach the connector, and frames far larger than the buffers still pass whole. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "cds.websocket.tomcat.read-buffer-size=512",
    "cds.websocket.tomcat.write-buffer-size=1024" })
class TomcatBuffersTest {

  @LocalServerPort
  int port;

  @Autowired
  ServletWebServerApplicationContext context;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Test
  @DisplayName("Limits: cds.websocket.tomcat.* sizes Tomcat's socket buffers; 200 KB frames still pass both ways")
  void smallBuffers() {
    Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
    assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("512");
    assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("1024");

    String big = "y".repeat(200_000);
    try (WsClient alice = connect("alice"); WsClient carol = connect("carol")) {
      runtime.requestContext().systemUser("t1").run(c -> {
        hookService.emit(HookEvents.ping(big));
      });
      assertThat(alice.next().at("/data/text").asText()).isEqualTo(big);
      assertThat(carol.next().at("/data/text").asText()).isEqualTo(big);
      // inbound: a message of 200 KB read through a 512-byte buffer, echoed to everyone (alice also gets the reply
      // to her call, before or after the event)
      alice.send("{\"event\":\"emitPing\",\"data\":{\"text\":\"" + big + "x\"}}");
      assertThat(alice.next("ping").at("/data/text").asText()).isEqualTo(big + "x");
      assertThat(carol.next("ping").at("/data/text").asText()).isEqualTo(big + "x");
    }
  }

  private WsClient connect(String user) {
    return WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"), basic(user, user));
  }
}
