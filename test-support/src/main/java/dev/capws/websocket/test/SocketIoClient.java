package dev.capws.websocket.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a scenario of test-support/socketio-client/client.js, the official socket.io-client used as an application
 * would (the build installs it with npm ci), and returns what it printed last: one JSON object. Every wait is
 * bounded; a scenario that fails or hangs fails the test with the script's output.
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
    try (Running running = start(scenario, baseUrl, transport, environment)) {
      return running.result();
    }
  }

  public static JsonNode run(String scenario, int port, String transport) {
    return run(scenario, "http://localhost:" + port, transport, Map.of());
  }

  /** Starts a scenario that the test interacts with while it runs (see {@link Running#awaitLine}). */
  public static Running start(String scenario, String baseUrl, String transport, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(List.of("node", "client.js", scenario, baseUrl, transport))
        .directory(SCRIPT_DIR).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      return new Running(scenario + " (" + transport + ")", builder.start());
    } catch (IOException e) {
      throw new AssertionError("Could not run node test-support/socketio-client/client.js", e);
    }
  }

  /** A scenario being run: its output, line by line, as it comes. */
  public static final class Running implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final Thread reader;

    private Running(String name, Process process) {
      this.name = name;
      this.process = process;
      this.reader = new Thread(this::read, "socketio-client-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
          unread.add(line);
        }
      } catch (IOException e) {
        output.add("(reading the output failed: " + e + ")");
      }
    }

    /** Waits until the scenario prints this line (what it printed before is passed over). */
    public void awaitLine(String expected) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      try {
        while (true) {
          String line = unread.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (line == null) {
            throw new AssertionError("socket.io-client scenario " + name + " did not print '" + expected + "': "
                + output);
          }
          if (line.equals(expected)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Waits for the scenario to end; what it printed last, which must be its JSON result. */
    public JsonNode result() {
      try {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new AssertionError("socket.io-client scenario " + name + " did not finish in " + TIMEOUT_SECONDS
              + " s: " + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        if (process.exitValue() != 0 || output.isEmpty()) {
          throw new AssertionError("socket.io-client scenario " + name + " failed: " + output);
        }
        return MAPPER.readTree(output.get(output.size() - 1));
      } catch (IOException e) {
        throw new AssertionError("socket.io-client scenario " + name + " printed no JSON: " + output, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
