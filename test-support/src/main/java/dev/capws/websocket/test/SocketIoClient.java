package dev.capws.websocket.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a scenario of test-support/socketio-client/client.js, the official socket.io-client used as an application
 * would (the build installs it with npm ci), and returns what it printed: one JSON object. The wait is bounded; a scenario that fails or hangs fails the test with
 * the script's output.
 */
public final class SocketIoClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final File SCRIPT_DIR = scriptDirectory();
  private static final long TIMEOUT_SECONDS = 120;

  private SocketIoClient() {}

  /** test-support/socketio-client, found from the module a test runs in (the repository's modules are siblings). */
  private static File scriptDirectory() {
    for (File dir = new File(System.getProperty("user.dir")).getAbsoluteFile(); dir != null; dir = dir.getParentFile()) {
      File candidate = new File(dir, "test-support/socketio-client");
      if (new File(candidate, "client.js").isFile()) {
        return candidate;
      }
    }
    throw new IllegalStateException("test-support/socketio-client not found above " + System.getProperty("user.dir"));
  }

  /** @param transport {@code default} (long-polling, then the upgrade) or {@code websocket} */
  public static JsonNode run(String scenario, String baseUrl, String transport, Map<String, String> environment) {
    try {
      Path output = Files.createTempFile("socketio-" + scenario, ".out");
      ProcessBuilder builder = new ProcessBuilder(List.of("node", "client.js", scenario, baseUrl, transport))
          .directory(SCRIPT_DIR).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      try {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new AssertionError("socket.io-client scenario " + scenario + " did not finish in " + TIMEOUT_SECONDS
              + " s: " + Files.readString(output));
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
          throw new AssertionError("socket.io-client scenario " + scenario + " (" + transport + ") failed: " + printed);
        }
        String last = printed.substring(printed.lastIndexOf('\n') + 1);
        return MAPPER.readTree(last);
      } finally {
        process.destroyForcibly();
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new AssertionError("Could not run node socketio-client/client.js", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static JsonNode run(String scenario, int port, String transport) {
    return run(scenario, "http://localhost:" + port, transport, Map.of());
  }
}
