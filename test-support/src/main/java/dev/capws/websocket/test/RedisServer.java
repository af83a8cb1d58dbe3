package dev.capws.websocket.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server process on a free port, for tests that must see Redis go away and come back: {@link #kill()}
 * ends it at once (SIGKILL, as a crash), {@link #restart()} starts it again on the same port, with the data it had
 * written (append-only file) or, after {@link #wipe()}, empty. The binary is the one the {@code embedded-redis} jar
 * ships (redis-server 7.0.15), copied out once per JVM, so no machine needs Redis installed.
 */
public final class RedisServer implements AutoCloseable {

  private static Path binary;

  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server on a free port, persisting every write (so that a restart keeps the data). */
  public static RedisServer start() {
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("redis-test"));
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Ends the process at once, as a crash would: clients see the connection reset. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Deletes the data of a killed server, so that it restarts empty (a Redis that lost its data). */
  public void wipe() {
    if (process != null) {
      throw new IllegalStateException("Kill the server first");
    }
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the killed server again on the same port. */
  public void restart() {
    if (process == null) {
      launch();
    }
  }

  @Override
  public void close() {
    kill();
    wipe();
    dir.toFile().delete();
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
        "--save", "", "--protected-mode", "no"));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitListening();
  }

  /** Waits, bounded, until the port accepts connections. */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + ", see "
            + dir.resolve("redis.log"));
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port + " within 20 s");
  }

  private static synchronized Path binary() {
    if (binary == null) {
      String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
      String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
      String name = "redis-server-7.0.15-" + os + "-" + arch;
      try (InputStream in = RedisServer.class.getResourceAsStream("/" + name)) {
        if (in == null) {
          throw new IllegalStateException("No " + name + " in the embedded-redis jar");
        }
        Path file = Files.createTempFile("redis-server", "");
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        file.toFile().setExecutable(true);
        file.toFile().deleteOnExit();
        binary = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return binary;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
