package dev.capws.websocket.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test application as a JVM process of its own, with the Redis broker: an instance that can die as a crash does
 * ({@link #kill()} is SIGKILL: no shutdown hook, no close frame, nothing flushed), which an instance inside the test's
 * JVM cannot.
 */
final class InstanceProcess implements AutoCloseable {

  private static final long START_SECONDS = 120;

  private final int port;
  private final Path log;
  private final Process process;

  private InstanceProcess(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts an instance on a free port with the Redis broker on {@code redisUri} and waits until it listens. */
  static InstanceProcess start(String redisUri, String keyPrefix, String... extraArguments) {
    try {
      int port = freePort();
      // The instance's output, for when a test fails: in target/, which a clean build removes.
      Path log = Files.createDirectories(Path.of("target", "instances")).resolve("instance-" + port + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
          "-cp", System.getProperty("java.class.path"), TestApplication.class.getName(),
          "--server.port=" + port,
          "--spring.datasource.url=jdbc:h2:mem:process-" + port + ";DB_CLOSE_DELAY=-1",
          "--cds.websocket.broker=redis", "--cds.websocket.redis.uri=" + redisUri,
          "--cds.websocket.redis.key-prefix=" + keyPrefix));
      command.addAll(List.of(extraArguments));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      InstanceProcess instance = new InstanceProcess(port, log, process);
      instance.awaitListening();
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** Ends the process at once (SIGKILL), as a crash or an out-of-memory kill would. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The instance on " + port + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Spring Boot opens the port once the application context is ready: waits for that, bounded. */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The instance exited with " + process.exitValue() + ", see " + log);
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    close();
    throw new IllegalStateException("The instance did not listen on " + port + " within " + START_SECONDS + " s, see "
        + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
