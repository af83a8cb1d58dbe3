package dev.capws.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fan-out benchmark against the tutorial app (ours or the Node original): N clients on {@code /ws/chat}, M OData
 * creates of {@code Data}, each of which must reach every client as a {@code serverNotification}. Reports lost and
 * duplicate frames, create-to-frame latency (first and last client), and, given the server's pid, its CPU time per
 * delivered frame read from /proc. The clients share two threads: the generator is not the bottleneck.
 *
 * <pre>
 * java -cp bench/target/classes dev.capws.bench.FanOut --clients 1000 --events 200 --pid 12345
 * </pre>
 */
public final class FanOut {

  private static final long CLOCK_TICK_NANOS = 10_000_000; // USER_HZ = 100 on Linux

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String base = options.getOrDefault("--http", "http://localhost:4004");
    URI ws = URI.create(options.getOrDefault("--ws", "ws://localhost:4004/ws/chat"));
    String odata = options.getOrDefault("--odata", "/odata/v4/test/Data");
    int clients = Integer.parseInt(options.getOrDefault("--clients", "100"));
    int warmup = Integer.parseInt(options.getOrDefault("--warmup", "50"));
    int events = Integer.parseInt(options.getOrDefault("--events", "200"));
    String pid = options.get("--pid");

    ExecutorService executor = Executors.newFixedThreadPool(2);
    HttpClient http = HttpClient.newBuilder().executor(executor).build();
    int total = warmup + events;
    Recorder recorder = new Recorder(clients, total);

    List<WebSocket> sockets = new ArrayList<>();
    long connectStart = System.nanoTime();
    List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      pending.add(http.newWebSocketBuilder().buildAsync(ws, recorder.listener(c)));
      if (pending.size() == 200) { // connect in waves, so the accept queue does not overflow
        pending.forEach(f -> sockets.add(f.join()));
        pending.clear();
      }
    }
    pending.forEach(f -> sockets.add(f.join()));
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;

    send(http, base + odata, 0, warmup, recorder);
    recorder.await(warmup, Duration.ofSeconds(60));

    long cpuBefore = pid == null ? -1 : cpuTicks(pid);
    long start = System.nanoTime();
    send(http, base + odata, warmup, total, recorder);
    boolean complete = recorder.await(total, Duration.ofSeconds(120));
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpuAfter = pid == null ? -1 : cpuTicks(pid);

    long frames = (long) clients * events;
    long received = recorder.received(warmup, total);
    System.out.printf("clients=%d events=%d connect=%.1f/s complete=%s%n", clients, events, clients / connectSeconds,
        complete);
    System.out.printf("frames expected=%d received=%d lost=%d duplicates=%d throughput=%.0f frames/s%n", frames,
        received, frames - received, recorder.duplicates.get(), received / seconds);
    System.out.printf("latency create->first client ms: %s%n", percentiles(recorder.firstLatencies(warmup, total)));
    System.out.printf("latency create->last client ms:  %s%n", percentiles(recorder.lastLatencies(warmup, total)));
    if (pid != null) {
      double cpuMicros = (cpuAfter - cpuBefore) * CLOCK_TICK_NANOS / 1000.0;
      System.out.printf("server cpu=%.0f ms, %.2f us per delivered frame%n", cpuMicros / 1000, cpuMicros / received);
    }
    sockets.forEach(WebSocket::abort);
    executor.shutdownNow();
    System.exit(complete ? 0 : 1);
  }

  /** Sequential creates; the value carries the event's number, so clients can tell events apart cheaply. */
  private static void send(HttpClient http, String url, int from, int to, Recorder recorder) throws Exception {
    for (int e = from; e < to; e++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"bench-" + e + "\",\"count\":" + e + "}")).build();
      recorder.sent(e);
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 201) {
        throw new IllegalStateException("create returned " + response.statusCode());
      }
    }
  }

  /** utime + stime of a process, in clock ticks. */
  static long cpuTicks(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String percentiles(long[] nanos) {
    Arrays.sort(nanos);
    if (nanos.length == 0) {
      return "none";
    }
    return String.format("p50=%.2f p99=%.2f max=%.2f", nanos[nanos.length / 2] / 1e6,
        nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
        nanos[nanos.length - 1] / 1e6);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  /** What every client received, per event: counts, first and last arrival, duplicates. */
  static final class Recorder {
    private final int clients;
    private final AtomicLongArray sentAt;
    private final AtomicLongArray firstAt;
    private final AtomicLongArray lastAt;
    private final AtomicLongArray count;
    private final BitSet[] seen;
    final AtomicLong duplicates = new AtomicLong();

    Recorder(int clients, int events) {
      this.clients = clients;
      this.sentAt = new AtomicLongArray(events);
      this.firstAt = new AtomicLongArray(events);
      this.lastAt = new AtomicLongArray(events);
      this.count = new AtomicLongArray(events);
      this.seen = new BitSet[clients];
      for (int c = 0; c < clients; c++) {
        seen[c] = new BitSet(events);
      }
    }

    void sent(int event) {
      sentAt.set(event, System.nanoTime());
    }

    WebSocket.Listener listener(int client) {
      return new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            received(client, text);
            text.setLength(0);
          }
          socket.request(1);
          return null;
        }
      };
    }

    private void received(int client, CharSequence frame) {
      long now = System.nanoTime();
      String s = frame.toString();
      int at = s.indexOf("\"bench-");
      if (at < 0) {
        return;
      }
      int end = s.indexOf('"', at + 7);
      int event = Integer.parseInt(s, at + 7, end, 10);
      if (event >= count.length()) {
        return;
      }
      synchronized (seen[client]) {
        if (seen[client].get(event)) {
          duplicates.incrementAndGet();
          return;
        }
        seen[client].set(event);
      }
      firstAt.compareAndSet(event, 0, now);
      lastAt.accumulateAndGet(event, now, Math::max);
      count.incrementAndGet(event);
    }

    boolean await(int upTo, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (received(0, upTo) == (long) clients * upTo) {
          return true;
        }
        Thread.sleep(5); // the generator polling its own counters; the server is not waited on by sleeping
      }
      return false;
    }

    long received(int from, int to) {
      long sum = 0;
      for (int e = from; e < to; e++) {
        sum += count.get(e);
      }
      return sum;
    }

    long[] firstLatencies(int from, int to) {
      return latencies(firstAt, from, to);
    }

    long[] lastLatencies(int from, int to) {
      return latencies(lastAt, from, to);
    }

    private long[] latencies(AtomicLongArray at, int from, int to) {
      long[] result = new long[to - from];
      for (int e = from; e < to; e++) {
        result[e - from] = at.get(e) - sentAt.get(e);
      }
      return result;
    }
  }
}
