package dev.capws.samples.fileintegration;

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

/**
 * The tutorial on CAP Node.js with the Node plugin (bench/node), as a process on a free port, for tests that hold our
 * side against it. Present only where bench/node is installed (bench/compare.sh installs it).
 */
final class NodePluginApp implements AutoCloseable {

  private static final File NODE_APP = new File("../../bench/node");

  private final Process process;
  private final Path db;
  private final int port;

  private NodePluginApp(Process process, Path db, int port) {
    this.process = process;
    this.db = db;
    this.port = port;
  }

  static boolean installed() {
    return new File(NODE_APP, "node_modules/@cap-js-community/websocket").isDirectory();
  }

  /** Starts it with this {@code websocket} configuration (e.g. {@code {"kind":"socket.io"}}), until it listens. */
  static NodePluginApp start(String websocketConfig) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path db = Files.createTempFile("node-plugin", ".sqlite");
    ProcessBuilder builder = new ProcessBuilder("node", "node_modules/@sap/cds/bin/serve.js").directory(NODE_APP)
        .redirectErrorStream(true);
    builder.environment().putAll(Map.of("PORT", String.valueOf(port), "DB_FILE", db.toString(),
        "NODE_ENV", "production", "CDS_CONFIG", "{\"websocket\":" + websocketConfig + "}"));
    NodePluginApp app = new NodePluginApp(builder.start(), db, port);
    try {
      app.awaitListening();
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app;
  }

  int port() {
    return port;
  }

  /** Until the Node app logs that it listens, at most 60 s (it deploys its database first); its log is drained. */
  private void awaitListening() throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(),
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

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(db);
  }
}
