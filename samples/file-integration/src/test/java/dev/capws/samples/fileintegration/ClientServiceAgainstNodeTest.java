package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClientService;

/**
 * C2 against the Node plugin: the sample's client services of both kinds connect to the tutorial on CAP Node.js
 * (bench/node, once with the ws kind and once with socket.io) and receive the notification of a change made there,
 * as a Node app's {@code websocket-client-ws} / {@code websocket-client-socket.io} service would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientServiceAgainstNodeTest {

  private static NodePluginApp wsKind;
  private static NodePluginApp socketIoKind;

  @Autowired
  CdsRuntime runtime;

  @BeforeAll
  static void startNode() throws Exception {
    Assumptions.assumeTrue(NodePluginApp.installed(), "bench/node is not installed (bench/compare.sh installs it)");
    wsKind = NodePluginApp.start("{\"kind\":\"ws\"}");
    socketIoKind = NodePluginApp.start("{\"kind\":\"socket.io\",\"format\":\"json\"}");
  }

  @AfterAll
  static void stopNode() throws Exception {
    for (NodePluginApp app : new NodePluginApp[] { wsKind, socketIoKind }) {
      if (app != null) {
        app.close();
      }
    }
  }

  @DynamicPropertySource
  static void clients(DynamicPropertyRegistry registry) throws IOException {
    Path file = Files.createTempFile("client-service-node", ".sqlite");
    file.toFile().deleteOnExit();
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
    registry.add("cds.websocket.clients.node-ws.url", () -> "ws://localhost:" + wsKind.port() + "/ws/chat");
    registry.add("cds.websocket.clients.node-sio.kind", () -> "socket.io");
    registry.add("cds.websocket.clients.node-sio.url", () -> "http://localhost:" + socketIoKind.port() + "/ws/chat");
  }

  @ParameterizedTest(name = "C2: a client service of kind {0} receives the Node plugin's serverNotification")
  @ValueSource(strings = { "node-ws", "node-sio" })
  void receivesFromTheNodePlugin(String name) throws Exception {
    WebSocketClientService client = runtime.getServiceCatalog().getService(WebSocketClientService.class, name);
    LinkedBlockingQueue<EventContext> arrived = new LinkedBlockingQueue<>();
    client.on(new String[] { "serverNotification" }, new String[] { "*" }, arrived::add);
    await().atMost(Duration.ofSeconds(10)).until(client::isConnected);

    int port = "node-ws".equals(name) ? wsKind.port() : socketIoKind.port();
    // HTTP/1.1: the JDK client would offer an h2c upgrade, which the Node server does not take well
    HttpResponse<String> created = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/odata/v4/test/Data")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"from node\",\"count\":3}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);

    EventContext notification = arrived.poll(10, TimeUnit.SECONDS);
    assertThat(notification).as("serverNotification within 10 s").isNotNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) notification.get("data");
    assertThat(data).containsEntry("action", "created").containsEntry("entity", "Data");
  }
}
