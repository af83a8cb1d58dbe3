package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.SocketIoClient;

/**
 * C1: the tutorial with {@code cds.websocket.kind: socket.io}, driven by the official socket.io-client as a client
 * of the Node plugin would drive it (scenario "chat" of test-support/socketio-client/client.js). The same scenario
 * runs against the Node plugin's socket.io kind (bench/node) when that is installed, and both must see the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cds.websocket.kind=socket.io")
class SocketIoTutorialTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    Path file = Files.createTempFile("socketio-tutorial-test", ".sqlite");
    file.toFile().deleteOnExit();
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
  }

  @LocalServerPort
  int port;

  @ParameterizedTest(name = "C1: a Socket.IO client of the Node plugin works unchanged against the sample ({0})")
  @ValueSource(strings = { "default", "websocket" })
  void tutorialOverSocketIo(String transport) {
    assertSeenAsTheNodePluginShows(SocketIoClient.run("chat", port, transport), transport);
  }

  @ParameterizedTest(name = "C1: the same client scenario against the Node plugin's socket.io kind (bench/node; {0})")
  @ValueSource(strings = { "default", "websocket" })
  void sameScenarioAgainstTheNodePlugin(String transport) throws Exception {
    Assumptions.assumeTrue(NodePluginApp.installed(), "bench/node is not installed (bench/compare.sh installs it)");
    try (NodePluginApp node = NodePluginApp.start("{\"kind\":\"socket.io\",\"format\":\"json\"}")) {
      assertSeenAsTheNodePluginShows(SocketIoClient.run("chat", node.port(), transport), transport);
    }
  }

  private static void assertSeenAsTheNodePluginShows(JsonNode seen, String transport) {
    assertThat(seen.get("firstTransport").asText()).isEqualTo("default".equals(transport) ? "polling" : "websocket");
    assertThat(seen.get("finalTransport").asText()).isEqualTo("websocket");
    assertThat(seen.get("reply").asText()).isEqualTo("Message received: hello");
    assertThat(seen.get("sent").asText()).isEqualTo("System message sent");
    assertThat(seen.get("system")).hasToString("[{\"type\":\"system\",\"level\":\"info\",\"text\":\"to all\"},"
        + "{\"type\":\"system\",\"level\":\"info\",\"text\":\"to all\"}]");
    assertThat(seen.get("created").asInt()).isEqualTo(201);
    assertThat(seen.get("notifications")).hasSize(2).allSatisfy(notification -> assertThat(notification)
        .hasToString("{\"type\":\"server\",\"action\":\"created\",\"entity\":\"Data\",\"value\":\"over socket.io\","
            + "\"count\":7}"));
    assertThat(seen.get("wrongNamespace").asText()).isEqualTo("Invalid namespace");
  }
}
