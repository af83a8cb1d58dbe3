package dev.capws.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The command line, {@code <scenario> --option value ... [--jvm | --v8]}, and the settings every scenario shares. A
 * syntax error is a {@link UsageException} (usage on stderr, exit code 2, no result); a bad value is an ordinary
 * failure of the run (an error result).
 */
final class Options {

  private static final Set<String> FLAGS = Set.of("--jvm", "--v8");
  private static final Set<String> OPTIONS = Set.of("--ws", "--http", "--odata", "--pid", "--clients", "--events",
      "--warmup", "--mode", "--concurrency", "--seconds", "--pipeline", "--threads", "--connect-window",
      "--connect-timeout", "--silence", "--settle-max", "--batch-micros", "--interval-ms", "--rounds",
      "--reconnect-ws", "--kind", "--trace");

  /** The command line is not understood: the usage goes to stderr and the exit code is 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String problem) {
      super(problem);
    }
  }

  final String scenario;
  private final Map<String, String> values = new HashMap<>();
  final URI ws;
  final URI http;
  final String odata;
  /**
   * The server's pid, for its CPU and memory; null if not given. For CPU it may be a comma-separated list (several
   * instances and their Redis), whose CPU is summed; memory (idle) takes one pid.
   */
  final String pid;
  final int threads;
  final int connectWindow;
  final long silenceNanos;
  final long handshakeTimeoutMillis;
  /**
   * --kind socket.io: the clients speak Socket.IO (Engine.IO 4 over WebSocket) to the server's socket.io kind,
   * joining the namespace that --ws names ({@link SocketIoSession}); --kind ws (the default): plain WebSocket.
   */
  final boolean socketIo;

  Options(String[] args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      throw new UsageException("no scenario");
    }
    scenario = args[0];
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new UsageException("unexpected argument " + args[i]);
      }
      if (FLAGS.contains(args[i])) {
        values.put(args[i], "true");
      } else if (!OPTIONS.contains(args[i])) {
        throw new UsageException("unknown option " + args[i]);
      } else if (i + 1 < args.length) {
        values.put(args[i], args[++i]);
      } else {
        throw new UsageException("no value for " + args[i]);
      }
    }
    ws = URI.create(values.getOrDefault("--ws", "ws://localhost:4004/ws/chat"));
    http = URI.create(values.getOrDefault("--http", "http://localhost:4004"));
    odata = values.getOrDefault("--odata", "/odata/v4/test/Data");
    pid = values.get("--pid");
    if (pid != null && pids(pid).length == 0) {
      throw new UsageException("--pid: no pid in " + pid);
    }
    // One selector thread per two cores, at most two: on a 2-core machine shared with the server, the generator
    // takes at most one core.
    threads = intOption("--threads", Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2)));
    connectWindow = intOption("--connect-window", 250);
    silenceNanos = TimeUnit.MILLISECONDS.toNanos((long) (doubleOption("--silence", 5) * 1000));
    handshakeTimeoutMillis = (long) (doubleOption("--connect-timeout", 15) * 1000);
    String kind = values.getOrDefault("--kind", "ws");
    if (!kind.equals("ws") && !kind.equals("socket.io")) {
      throw new IllegalArgumentException("--kind is ws or socket.io");
    }
    socketIo = kind.equals("socket.io");
    if (threads < 1 || threads > 2) {
      throw new IllegalArgumentException("--threads is 1 or 2");
    }
  }

  static String usage() {
    return "usage: Bench fanout|calls|idle|connect|recovery --ws ws://host:port/ws/chat "
        + "--http http://host:port --pid <server pid>[,<pid>...] [--clients N] [--events M] [--warmup W] "
        + "[--mode sequential|concurrent] [--concurrency K] [--interval-ms I] [--seconds S] [--pipeline P] [--jvm | --v8] "
        + "[--threads 1|2] [--connect-window C] [--connect-timeout s] [--silence s] [--settle-max s] "
        + "[--batch-micros us] [--odata path] [--rounds R] [--reconnect-ws ws://host:port/ws/chat] "
        + "[--kind ws|socket.io] [--trace file.csv]; "
        + "see bench/README.md";
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String option(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int intOption(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  double doubleOption(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  /** --mode: true for concurrent, false for sequential (the default). */
  boolean concurrent() {
    String mode = values.getOrDefault("--mode", "sequential");
    if (!mode.equals("sequential") && !mode.equals("concurrent")) {
      throw new IllegalArgumentException("--mode is sequential or concurrent");
    }
    return mode.equals("concurrent");
  }

  /** The one pid whose memory is measured (idle). */
  String requirePid() {
    if (pid == null) {
      throw new SetupException("--pid is required for " + scenario);
    }
    if (pids(pid).length != 1) {
      throw new SetupException("--pid takes one pid for " + scenario + ", not " + pid);
    }
    return pids(pid)[0];
  }

  /** The pids of a --pid value: one, or a comma-separated list (blanks around them ignored). */
  static String[] pids(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(p -> !p.isEmpty())
        .toArray(String[]::new);
  }
}
