package dev.capws.samples.fileintegration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

  private static final File NODE_APP = new File("../../bench/node");

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
    Assumptions.assumeTrue(new File(NODE_APP, "node_modules/@cap-js-community/websocket").isDirectory(),
        "bench/node is not installed (bench/compare.sh installs it)");
    int nodePort;
    try (ServerSocket free = new ServerSocket(0)) {
      nodePort = free.getLocalPort();
    }
    Path db = Files.createTempFile("socketio-node", ".sqlite");
    ProcessBuilder builder = new ProcessBuilder("node", "node_modules/@sap/cds/bin/serve.js").directory(NODE_APP)
        .redirectErrorStream(true);
    builder.environment().putAll(Map.of("PORT", String.valueOf(nodePort), "DB_FILE", db.toString(),
        "NODE_ENV", "production", "CDS_CONFIG", "{\"websocket\":{\"kind\":\"socket.io\",\"format\":\"json\"}}"));
    Process node = builder.start();
    try {
      awaitListening(node);
      assertSeenAsTheNodePluginShows(SocketIoClient.run("chat", nodePort, transport), transport);
    } finally {
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(db);
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

  /** Until the Node app logs that it listens, at most 60 s (it deploys its database first); its log is drained. */
  private static void awaitListening(Process node) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader log = new BufferedReader(new InputStreamReader(node.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = log.readLine(); line != null; line = log.readLine()) {
          if (line.contains("server listening")) {
            listening.complete(null);
          }
        }
        listening.completeExceptionally(new AssertionError("The Node app ended before it listened"));
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
    }, "node-log");
    reader.setDaemon(true);
    reader.start();
    listening.get(60, TimeUnit.SECONDS);
  }
}
