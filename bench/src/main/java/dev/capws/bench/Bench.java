package dev.capws.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for any server that speaks the {@code json} protocol and serves the tutorial's model (our sample, or
 * the tutorial on the Node plugin). Scenarios: {@code fanout}, {@code calls}, {@code idle}, {@code connect}; see
 * bench/README.md. Progress goes to stderr; the last line of stdout is one JSON object with the results.
 *
 * <pre>
 * java -cp bench/target/classes dev.capws.bench.Bench fanout --ws ws://localhost:4101/ws/chat \
 *      --http http://localhost:4101 --pid 12345 --clients 1000 --events 500
 * </pre>
 *
 * <p>The WebSocket clients are our own RFC 6455 client on raw java.nio ({@link WsEngine}), all on one or two selector
 * threads, so 15000 clients cost a few MB and little CPU. OData creates go over plain HTTP/1.1 keep-alive connections
 * ({@link HttpPoster}).
 */
public final class Bench {

  private static final Set<String> FLAGS = Set.of("--jvm", "--v8");
  private static final Set<String> OPTIONS = Set.of("--ws", "--http", "--odata", "--pid", "--clients", "--events",
      "--warmup", "--mode", "--concurrency", "--seconds", "--pipeline", "--threads", "--connect-window",
      "--connect-timeout", "--silence", "--settle-max", "--batch-micros", "--interval-ms");
  private static final byte[] MARKER = "\"bench-".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID_KEY = "\"id\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_KEY = "\"error\":".getBytes(StandardCharsets.US_ASCII);

  private final Map<String, String> options;
  private final String scenario;
  private final URI ws;
  private final URI http;
  private final String odata;
  private final String pid;
  private final int threads;
  private final int connectWindow;
  private final long silenceNanos;
  private final long handshakeTimeoutMillis;

  private Bench(String scenario, Map<String, String> options) {
    this.scenario = scenario;
    this.options = options;
    this.ws = URI.create(options.getOrDefault("--ws", "ws://localhost:4004/ws/chat"));
    this.http = URI.create(options.getOrDefault("--http", "http://localhost:4004"));
    this.odata = options.getOrDefault("--odata", "/odata/v4/test/Data");
    this.pid = options.get("--pid");
    // One selector thread per two cores, at most two: on a 2-core machine shared with the server, the generator
    // takes at most one core.
    this.threads = intOption("--threads", Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2)));
    this.connectWindow = intOption("--connect-window", 250);
    this.silenceNanos = TimeUnit.MILLISECONDS.toNanos((long) (doubleOption("--silence", 5) * 1000));
    this.handshakeTimeoutMillis = (long) (doubleOption("--connect-timeout", 15) * 1000);
    if (threads < 1 || threads > 2) {
      throw new IllegalArgumentException("--threads is 1 or 2");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("--")) {
      usage("no scenario");
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        usage("unexpected argument " + args[i]);
      }
      if (FLAGS.contains(args[i])) {
        options.put(args[i], "true");
      } else if (!OPTIONS.contains(args[i])) {
        usage("unknown option " + args[i]);
      } else if (i + 1 < args.length) {
        options.put(args[i], args[++i]);
      } else {
        usage("no value for " + args[i]);
      }
    }
    long selfStart = Proc.cpuTicks("self");
    int exit;
    try {
      Bench bench = new Bench(args[0], options);
      exit = switch (args[0]) {
        case "fanout" -> bench.fanout();
        case "calls" -> bench.calls();
        case "idle" -> bench.idle();
        case "connect" -> bench.connect();
        default -> {
          usage("unknown scenario " + args[0]);
          yield 2;
        }
      };
    } catch (SetupException e) {
      log("FAILED: " + e.getMessage());
      System.out.println(new Json().put("scenario", args[0]).put("error", e.getMessage()));
      exit = 2;
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println(new Json().put("scenario", args[0]).put("error", String.valueOf(e)));
      exit = 2;
    }
    log("generator cpu in all (incl. JIT and start-up): %.0f ms", (Proc.cpuTicks("self") - selfStart) * 10.0);
    System.out.flush();
    System.exit(exit);
  }

  private static void usage(String problem) {
    System.err.println(problem + "\nusage: Bench fanout|calls|idle|connect --ws ws://host:port/ws/chat "
        + "--http http://host:port --pid <server pid> [--clients N] [--events M] [--warmup W] "
        + "[--mode sequential|concurrent] [--concurrency K] [--interval-ms I] [--seconds S] [--pipeline P] [--jvm | --v8] "
        + "[--threads 1|2] [--connect-window C] [--connect-timeout s] [--silence s] [--settle-max s] "
        + "[--batch-micros us] [--odata path]; see bench/README.md");
    System.exit(2);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // fanout

  /** Per selector thread: what its clients received, per event. Published after every select round. */
  private static final class FanoutState implements Runnable {
    final long[] first;
    final long[] last;
    final int[] count;
    final int measuredFrom;
    long received;
    long duplicates;
    long measuredDuplicates;
    long stray;
    long other;
    long lastArrival;
    volatile long publishedReceived;
    volatile long publishedLastArrival;

    FanoutState(int events, int measuredFrom) {
      first = new long[events];
      last = new long[events];
      count = new int[events];
      this.measuredFrom = measuredFrom;
    }

    @Override
    public void run() {
      publishedReceived = received;
      publishedLastArrival = lastArrival;
    }
  }

  private int fanout() throws Exception {
    int clients = intOption("--clients", 100);
    int events = intOption("--events", 200);
    int warmup = intOption("--warmup", 50);
    boolean concurrent = mode();
    int concurrency = concurrent ? intOption("--concurrency", 4) : 1;
    int total = warmup + events;

    WsEngine engine = new WsEngine(ws, threads, new WsEngine.Handler() {
      @Override
      public void opened(WsEngine.Loop loop, WsEngine.Conn conn, long now) {
        conn.attachment = new BitSet(total);
      }

      @Override
      public void message(WsEngine.Loop loop, WsEngine.Conn conn, byte[] a, int offset, int length, long now) {
        FanoutState s = (FanoutState) loop.state;
        int end = offset + length;
        int at = WsEngine.indexOf(a, offset, end, MARKER);
        if (at < 0) {
          s.other++;
          return;
        }
        int i = at + MARKER.length;
        int e = 0;
        int digits = 0;
        while (i < end && a[i] >= '0' && a[i] <= '9' && digits < 10) {
          e = e * 10 + (a[i++] - '0');
          digits++;
        }
        if (digits == 0 || e >= total) {
          s.stray++;
          return;
        }
        BitSet seen = (BitSet) conn.attachment;
        if (seen.get(e)) {
          s.duplicates++;
          if (e >= s.measuredFrom) {
            s.measuredDuplicates++;
          }
          return;
        }
        seen.set(e);
        if (s.count[e]++ == 0) {
          s.first[e] = now;
        }
        s.last[e] = now;
        s.received++;
        s.lastArrival = now;
      }
    }, handshakeTimeoutMillis);
    for (WsEngine.Loop loop : engine.loops) {
      loop.state = new FanoutState(total, warmup);
    }
    engine.batchNanos = (long) (doubleOption("--batch-micros", 0) * 1000);
    engine.start();
    connectAll(engine, clients);

    long[] sentAt = new long[total];
    log("warm-up: %d creates", warmup);
    post(sentAt, 0, warmup, concurrency);
    long expectedWarmup = (long) clients * warmup;
    if (!await(engine, expectedWarmup)) {
      log("warm-up incomplete: %d of %d frames", received(engine), expectedWarmup);
    }

    log("measuring: %d creates, %s%s", events, concurrent ? "concurrent" : "sequential",
        concurrent ? ", " + concurrency + " in flight" : "");
    long cpu0 = serverTicks();
    long self0 = Proc.cpuTicks("self");
    long loops0 = Proc.threadTicks("ws-loop");
    long start = System.nanoTime();
    post(sentAt, warmup, total, concurrency);
    log("creates sent in %.2f s; waiting for the frames", (System.nanoTime() - start) / 1e9);
    boolean complete = await(engine, (long) clients * total);
    long cpu1 = serverTicks();
    long self1 = Proc.cpuTicks("self");
    long loops1 = Proc.threadTicks("ws-loop");

    long frames = 0;
    long duplicates = 0;
    long stray = 0;
    long other = 0;
    long lastFrame = start;
    long[] first = new long[events];
    long[] last = new long[events];
    int withFrames = 0;
    for (int e = warmup; e < total; e++) {
      long f = Long.MAX_VALUE;
      long l = Long.MIN_VALUE;
      long n = 0;
      for (WsEngine.Loop loop : engine.loops) {
        FanoutState s = (FanoutState) loop.state;
        if (s.count[e] > 0) {
          f = Math.min(f, s.first[e]);
          l = Math.max(l, s.last[e]);
          n += s.count[e];
        }
      }
      frames += n;
      if (n > 0) {
        first[withFrames] = f - sentAt[e];
        last[withFrames] = l - sentAt[e];
        withFrames++;
        lastFrame = Math.max(lastFrame, l);
      }
    }
    for (WsEngine.Loop loop : engine.loops) {
      FanoutState s = (FanoutState) loop.state;
      duplicates += s.measuredDuplicates;
      stray += s.stray;
      other += s.other;
    }
    first = Arrays.copyOf(first, withFrames);
    last = Arrays.copyOf(last, withFrames);
    Arrays.sort(first);
    Arrays.sort(last);
    long expected = (long) clients * events;
    long lost = expected - frames;
    double seconds = (lastFrame - start) / 1e9;
    log("frames expected=%d received=%d lost=%d duplicates=%d (complete=%s); other frames=%d, unknown events=%d",
        expected, frames, lost, duplicates, complete, other, stray);
    reportProblems(engine);
    generatorCost(self1 - self0, loops1 - loops0, frames, "frame", Proc.threadTicks());
    engine.shutdown(5000);

    double intervalMs = doubleOption("--interval-ms", 0);
    Json json = new Json().put("scenario", "fanout")
        .put("mode", intervalMs > 0 ? "paced" : concurrent ? "concurrent" : "sequential")
        .put("intervalMs", intervalMs).put("clients", clients).put("events", events).put("frames", frames).put("lost", lost)
        .put("duplicates", duplicates).put("seconds", seconds).put("framesPerSecond", frames / seconds)
        .put("cpuMicrosPerFrame", cpuMicros(cpu0, cpu1) / frames)
        .put("firstP50Ms", ms(quantile(first, 0.50))).put("firstP99Ms", ms(quantile(first, 0.99)))
        .put("firstMaxMs", ms(quantile(first, 1.0)))
        .put("lastP50Ms", ms(quantile(last, 0.50))).put("lastP99Ms", ms(quantile(last, 0.99)))
        .put("lastMaxMs", ms(quantile(last, 1.0)));
    System.out.println(json);
    return lost == 0 && duplicates == 0 ? 0 : 1;
  }

  /** Creates events [from, to) over `concurrency` keep-alive connections, each create after the previous answer. */
  private void post(long[] sentAt, int from, int to, int concurrency) throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    AtomicReference<String> error = new AtomicReference<>();
    // --interval-ms paces the creates (one every interval, an open loop): latency at a rate both servers sustain,
    // instead of each server's own maximum rate.
    long interval = TimeUnit.MICROSECONDS.toNanos((long) (doubleOption("--interval-ms", 0) * 1000));
    long start = System.nanoTime();
    Runnable worker = () -> {
      try (HttpPoster poster = new HttpPoster(http)) {
        for (int e = next.getAndIncrement(); e < to && error.get() == null; e = next.getAndIncrement()) {
          if (interval > 0) {
            long due = start + (e - from) * interval;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
              java.util.concurrent.locks.LockSupport.parkNanos(due - now);
            }
          }
          sentAt[e] = System.nanoTime();
          int status = poster.post(odata, "{\"value\":\"bench-" + e + "\",\"count\":" + e + "}");
          if (status != 201) {
            error.compareAndSet(null, "create returned " + status + ": " + poster.lastBody);
          }
        }
      } catch (Exception e) {
        error.compareAndSet(null, "create failed: " + e);
      }
    };
    if (concurrency == 1) {
      worker.run();
    } else {
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        Thread thread = new Thread(worker, "poster-" + i);
        thread.start();
        workers.add(thread);
      }
      for (Thread thread : workers) {
        thread.join();
      }
    }
    if (error.get() != null) {
      throw new SetupException(error.get());
    }
  }

  /** Waits until `expected` frames arrived, or none arrived for the silence interval; true if all arrived. */
  private boolean await(WsEngine engine, long expected) {
    long waitStart = System.nanoTime();
    while (true) {
      long received = received(engine);
      if (received >= expected) {
        return true;
      }
      long lastArrival = waitStart;
      for (WsEngine.Loop loop : engine.loops) {
        lastArrival = Math.max(lastArrival, ((FanoutState) loop.state).publishedLastArrival);
      }
      if (System.nanoTime() - lastArrival > silenceNanos) {
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static long received(WsEngine engine) {
    long received = 0;
    for (WsEngine.Loop loop : engine.loops) {
      received += ((FanoutState) loop.state).publishedReceived;
    }
    return received;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // calls

  /** Shared between the main thread and the loops during the calls scenario. */
  private static final class CallsControl {
    volatile long measureFrom = Long.MAX_VALUE;
    volatile long measureTo = Long.MAX_VALUE;
    volatile boolean stopping;
  }

  /** Per selector thread: replies, errors and latencies of its clients' calls. */
  private static final class CallsState implements Runnable {
    final Histogram latencies = new Histogram();
    final byte[] frame = new byte[128];
    long calls;
    long errors;
    long errorsInAll;
    long unmatched;
    long other;
    long inFlight;
    long repliesInAll;
    long withoutId;
    String sample;
    String errorSample;
    volatile long publishedInFlight;
    volatile long publishedReplies;

    @Override
    public void run() {
      publishedInFlight = inFlight;
      publishedReplies = repliesInAll;
    }
  }

  private static final byte[] CALL_PREFIX = "{\"event\":\"message\",\"data\":{\"text\":\"hi\"},\"id\":"
      .getBytes(StandardCharsets.US_ASCII);

  private int calls() throws Exception {
    int clients = intOption("--clients", 50);
    int pipeline = intOption("--pipeline", 1);
    double warmupSeconds = doubleOption("--warmup", 3);
    double seconds = doubleOption("--seconds", 10);
    CallsControl control = new CallsControl();

    WsEngine engine = new WsEngine(ws, threads, new WsEngine.Handler() {
      @Override
      public void message(WsEngine.Loop loop, WsEngine.Conn conn, byte[] a, int offset, int length, long now) {
        CallsState s = (CallsState) loop.state;
        int end = offset + length;
        long id = replyId(a, offset, end);
        boolean error = WsEngine.indexOf(a, offset, end, ERROR_KEY) >= 0;
        if (error && s.errorSample == null) {
          s.errorSample = new String(a, offset, Math.min(length, 300), StandardCharsets.UTF_8);
        }
        int slot;
        if (conn.slotIds != null && id >= 0) {
          slot = (int) (id % pipeline);
          if (conn.slotIds[slot] != id) {
            s.unmatched++;
            return;
          }
        } else if (conn.slotIds != null && error && (slot = oldest(conn)) >= 0) {
          // An error frame without our id (the Java plugin's 429 has none): the connection's messages are
          // answered in order, so it belongs to the oldest call in flight.
          id = conn.slotIds[slot];
          s.withoutId++;
        } else {
          if (s.other++ == 0) {
            s.sample = new String(a, offset, Math.min(length, 300), StandardCharsets.UTF_8);
          }
          return;
        }
        conn.slotIds[slot] = -1;
        s.inFlight--;
        s.repliesInAll++;
        long sent = conn.sentAt[slot];
        if (error) {
          s.errorsInAll++;
        }
        if (sent >= control.measureFrom && now <= control.measureTo) {
          if (error) {
            s.errors++;
          } else {
            s.calls++;
            s.latencies.record(now - sent);
          }
        }
        if (!control.stopping) {
          call(loop, conn, slot, id + pipeline);
        }
      }
    }, handshakeTimeoutMillis);
    for (WsEngine.Loop loop : engine.loops) {
      loop.state = new CallsState();
    }
    engine.start();
    connectAll(engine, clients);

    log("calls: %d clients, %d in flight each; warm-up %.1f s", clients, pipeline, warmupSeconds);
    for (WsEngine.Loop loop : engine.loops) {
      loop.submit(() -> {
        for (WsEngine.Conn conn : engine.conns()) {
          if (conn.loop == loop && conn.isOpen()) {
            conn.sentAt = new long[pipeline];
            conn.slotIds = new long[pipeline];
            for (int slot = 0; slot < pipeline; slot++) {
              call(loop, conn, slot, slot);
            }
          }
        }
      });
    }
    sleepSeconds(warmupSeconds);
    long replies = 0;
    for (WsEngine.Loop loop : engine.loops) {
      replies += ((CallsState) loop.state).publishedReplies;
    }
    if (replies == 0) {
      log("no replies during the warm-up: the server does not answer `message` frames (the Node plugin never "
          + "replies over plain WebSocket)");
    }
    long cpu0 = serverTicks();
    long self0 = Proc.cpuTicks("self");
    long loops0 = Proc.threadTicks("ws-loop");
    long from = System.nanoTime();
    control.measureFrom = from;
    sleepSeconds(seconds);
    long to = System.nanoTime();
    control.measureTo = to;
    long cpu1 = serverTicks();
    long self1 = Proc.cpuTicks("self");
    long loops1 = Proc.threadTicks("ws-loop");
    control.stopping = true;
    long deadline = System.nanoTime() + silenceNanos;
    while (System.nanoTime() < deadline) {
      long inFlight = 0;
      for (WsEngine.Loop loop : engine.loops) {
        inFlight += ((CallsState) loop.state).publishedInFlight;
      }
      if (inFlight == 0) {
        break;
      }
      LockSupport.parkNanos(1_000_000);
    }
    String threadTicks = Proc.threadTicks();
    engine.shutdown(5000); // joins the loops: their counters are visible from here on

    Histogram latencies = new Histogram();
    long calls = 0;
    long errors = 0;
    long errorsInAll = 0;
    long unmatched = 0;
    long other = 0;
    long unanswered = 0;
    long withoutId = 0;
    String errorSample = null;
    for (WsEngine.Loop loop : engine.loops) {
      CallsState s = (CallsState) loop.state;
      withoutId += s.withoutId;
      errorSample = errorSample == null ? s.errorSample : errorSample;
      latencies.add(s.latencies);
      calls += s.calls;
      errors += s.errors;
      errorsInAll += s.errorsInAll;
      unmatched += s.unmatched;
      other += s.other;
      unanswered += s.inFlight;
    }
    double measured = (to - from) / 1e9;
    log("calls=%d errors=%d (in all, warm-up included: %d) unmatched ids=%d frames without id=%d "
        + "unanswered at the end=%d", calls, errors, errorsInAll, unmatched, other, unanswered);
    if (errorSample != null) {
      log("first error frame (%d error frames had no id): %s", withoutId, errorSample);
      if (errorSample.contains("429")) {
        log("the server rate-limits the clients: for this scenario start it with "
            + "--cds.websocket.max-messages-per-second=0 (Java sample)");
      }
    }
    for (WsEngine.Loop loop : engine.loops) {
      if (((CallsState) loop.state).sample != null) {
        log("a frame without a reply id: %s", ((CallsState) loop.state).sample);
      }
    }
    reportProblems(engine);
    generatorCost(self1 - self0, loops1 - loops0, calls + errors, "call", threadTicks);
    Json json = new Json().put("scenario", "calls").put("clients", clients).put("calls", calls).put("errors", errors)
        .put("seconds", measured).put("callsPerSecond", calls / measured)
        .put("cpuMicrosPerCall", cpuMicros(cpu0, cpu1) / (calls + errors))
        .put("p50Ms", ms(latencies.quantile(0.50))).put("p99Ms", ms(latencies.quantile(0.99)))
        .put("maxMs", ms(latencies.count() == 0 ? -1 : latencies.max()));
    System.out.println(json);
    return 0;
  }

  private static void call(WsEngine.Loop loop, WsEngine.Conn conn, int slot, long id) {
    CallsState s = (CallsState) loop.state;
    byte[] frame = s.frame;
    System.arraycopy(CALL_PREFIX, 0, frame, 0, CALL_PREFIX.length);
    int n = CALL_PREFIX.length;
    String digits = Long.toString(id);
    for (int i = 0; i < digits.length(); i++) {
      frame[n++] = (byte) digits.charAt(i);
    }
    frame[n++] = '}';
    conn.slotIds[slot] = id;
    conn.sentAt[slot] = System.nanoTime();
    s.inFlight++;
    try {
      loop.send(conn, 0x1, frame, 0, n);
    } catch (java.io.IOException e) {
      s.inFlight--; // the connection is gone; the loop notices on its next read
    }
  }

  /** The slot of a connection's oldest call in flight, -1 if none is. */
  private static int oldest(WsEngine.Conn conn) {
    int oldest = -1;
    for (int slot = 0; slot < conn.slotIds.length; slot++) {
      if (conn.slotIds[slot] >= 0 && (oldest < 0 || conn.sentAt[slot] - conn.sentAt[oldest] < 0)) {
        oldest = slot;
      }
    }
    return oldest;
  }

  /** The numeric "id" of a reply: our replies end with {@code ,"id":123}}; -1 if there is none. */
  private static long replyId(byte[] a, int offset, int end) {
    int i = end - 1;
    while (i > offset && (a[i] == '}' || a[i] == ' ')) {
      i--;
    }
    int digitsEnd = i + 1;
    while (i > offset && a[i] >= '0' && a[i] <= '9') {
      i--;
    }
    int idAt = i + 1 - ID_KEY.length;
    if (digitsEnd == i + 1 || idAt < offset) {
      return -1;
    }
    for (int j = 0; j < ID_KEY.length; j++) {
      if (a[idAt + j] != ID_KEY[j]) {
        return -1;
      }
    }
    long id = 0;
    for (int j = i + 1; j < digitsEnd; j++) {
      id = id * 10 + (a[j] - '0');
    }
    return id;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // idle

  private int idle() throws Exception {
    int clients = intOption("--clients", 1000);
    double settle = doubleOption("--seconds", 5);
    double settleMax = doubleOption("--settle-max", 20);
    boolean jvm = options.containsKey("--jvm");
    boolean v8 = options.containsKey("--v8");
    requirePid();
    if (jvm && v8) {
      throw new IllegalArgumentException("--jvm or --v8, not both");
    }
    WsEngine.Handler ignore = (loop, conn, a, offset, length, now) -> { };
    try (NodeInspector inspector = v8 ? new NodeInspector(pid) : null) {
      // Warm the server's connection path up (class loading, first buffers), so the deltas are per connection.
      WsEngine warm = new WsEngine(ws, threads, ignore, handshakeTimeoutMillis);
      warm.start();
      warm.connect(Math.min(clients, 50), connectWindow);
      warm.shutdown(5000);
      sleepSeconds(1);

      boolean heap = jvm || v8;
      long heapBefore = jvm ? Proc.liveHeapBytes(pid) : v8 ? inspector.liveHeapBytes() : 0;
      long rssBefore = settledRss(settleMax);
      long threadsBefore = Proc.threads(pid);
      log("before: rss=%.1f MB threads=%d%s", rssBefore / 1e6, threadsBefore,
          heap ? String.format(Locale.ROOT, " live heap=%.1f MB", heapBefore / 1e6) : "");

      WsEngine engine = new WsEngine(ws, threads, ignore, handshakeTimeoutMillis);
      engine.start();
      connectAll(engine, clients);
      log("%d clients connected; idle for %.1f s", clients, settle);
      sleepSeconds(settle);
      long heapAfter = jvm ? Proc.liveHeapBytes(pid) : v8 ? inspector.liveHeapBytes() : 0;
      long rssAfter = settledRss(settleMax);
      long threadsAfter = Proc.threads(pid);
      int stillOpen = engine.openCount();
      log("after: rss=%.1f MB threads=%d%s; %d of %d connections still open", rssAfter / 1e6, threadsAfter,
          heap ? String.format(Locale.ROOT, " live heap=%.1f MB", heapAfter / 1e6) : "", stillOpen, clients);
      reportProblems(engine);
      engine.shutdown(5000);
      if (stillOpen < clients) {
        throw new SetupException((clients - stillOpen) + " of " + clients + " idle connections were closed");
      }
      Json json = new Json().put("scenario", "idle").put("clients", clients)
          .put("rssBytesPerConnection", (rssAfter - rssBefore) / (double) clients);
      if (heap) {
        json.put("heapBytesPerConnection", (heapAfter - heapBefore) / (double) clients);
      } else {
        json.putNull("heapBytesPerConnection");
      }
      json.put("threadsBefore", threadsBefore).put("threadsAfter", threadsAfter);
      System.out.println(json);
      return 0;
    }
  }

  /**
   * The server's RSS once it stops moving: read every second until three readings in a row stay within 0.5 % of each
   * other (garbage collectors, V8's in particular, give memory back some seconds after the load ends), at most
   * maxSeconds; the last reading then.
   */
  private long settledRss(double maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    long[] last = new long[3];
    for (int i = 0; ; i++) {
      long rss = Proc.rssBytes(pid);
      last[i % 3] = rss;
      if (i >= 2) {
        long min = Math.min(last[0], Math.min(last[1], last[2]));
        long max = Math.max(last[0], Math.max(last[1], last[2]));
        if (max - min <= max / 200 || System.nanoTime() > deadline) {
          return rss;
        }
      }
      Thread.sleep(1000);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // connect

  private int connect() throws Exception {
    int clients = intOption("--clients", 2000);
    int concurrency = intOption("--concurrency", 200);
    int warmup = intOption("--warmup", 200);
    WsEngine.Handler ignore = (loop, conn, a, offset, length, now) -> { };
    if (warmup > 0) {
      WsEngine warm = new WsEngine(ws, threads, ignore, handshakeTimeoutMillis);
      warm.start();
      warm.connect(warmup, concurrency);
      warm.shutdown(5000);
      sleepSeconds(1);
    }
    WsEngine engine = new WsEngine(ws, threads, ignore, handshakeTimeoutMillis);
    engine.start();
    log("connect: %d connections, %d handshakes in flight", clients, concurrency);
    long cpu0 = serverTicks();
    long self0 = Proc.cpuTicks("self");
    long loops0 = Proc.threadTicks("ws-loop");
    long start = System.nanoTime();
    engine.connect(clients, concurrency);
    long end = System.nanoTime();
    long cpu1 = serverTicks();
    long self1 = Proc.cpuTicks("self");
    long loops1 = Proc.threadTicks("ws-loop");
    int opened = engine.opened.get();
    int failed = engine.failed.get();
    double seconds = (end - start) / 1e9;
    log("opened=%d failed=%d in %.2f s", opened, failed, seconds);
    reportProblems(engine);
    generatorCost(self1 - self0, loops1 - loops0, opened, "connect", Proc.threadTicks());
    engine.shutdown(10_000);
    Json json = new Json().put("scenario", "connect").put("clients", clients)
        .put("connectsPerSecond", opened / seconds).put("cpuMicrosPerConnect", cpuMicros(cpu0, cpu1) / opened)
        .put("failed", failed);
    System.out.println(json);
    return failed == 0 ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // shared

  /** Connects all clients with a bounded number of handshakes in flight; any failure ends the run. */
  private void connectAll(WsEngine engine, int clients) throws Exception {
    long start = System.nanoTime();
    engine.connect(clients, connectWindow);
    double seconds = (System.nanoTime() - start) / 1e9;
    int failed = engine.failed.get();
    log("connected %d of %d clients in %.2f s (%.0f/s)", engine.opened.get(), clients, seconds,
        engine.opened.get() / seconds);
    if (failed > 0) {
      reportProblems(engine);
      engine.shutdown(5000);
      throw new SetupException(failed + " of " + clients + " connections failed, first: " + engine.problems.peek());
    }
  }

  private static void reportProblems(WsEngine engine) {
    if (engine.closedByServer.get() > 0) {
      log("the server closed %d connections", engine.closedByServer.get());
    }
    for (String problem : engine.problems) {
      log("  problem: %s", problem);
    }
  }

  /**
   * The generator's own CPU in the measured phase: the whole process (JIT compilers and GC included), and its
   * selector threads alone (the per-frame cost that remains once the JIT is done).
   */
  private static void generatorCost(long ticks, long loopTicks, long units, String unit, String threadTicks) {
    double per = Proc.TICK_MICROS / (double) Math.max(1, units);
    log("generator cpu in the measured phase: %.0f ms = %.2f us per %s (selector threads alone: %.0f ms = %.2f us "
        + "per %s); its threads since start: %s", ticks * 10.0, ticks * per, unit, loopTicks * 10.0, loopTicks * per,
        unit, threadTicks);
  }

  private long serverTicks() {
    return pid == null ? -1 : Proc.cpuTicks(pid);
  }

  /** Server CPU microseconds between two readings, NaN (printed as null) without --pid. */
  private double cpuMicros(long before, long after) {
    return pid == null ? Double.NaN : (after - before) * (double) Proc.TICK_MICROS;
  }

  private void requirePid() {
    if (pid == null) {
      throw new SetupException("--pid is required for " + scenario);
    }
  }

  private boolean mode() {
    String mode = options.getOrDefault("--mode", "sequential");
    if (!mode.equals("sequential") && !mode.equals("concurrent")) {
      throw new IllegalArgumentException("--mode is sequential or concurrent");
    }
    return mode.equals("concurrent");
  }

  private int intOption(String name, int fallback) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
  }

  private double doubleOption(String name, double fallback) {
    return options.containsKey(name) ? Double.parseDouble(options.get(name)) : fallback;
  }

  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
    return sorted[Math.min(sorted.length, rank) - 1];
  }

  /** Nanoseconds as milliseconds; -1 (no value) as NaN, printed as null. */
  private static double ms(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e6;
  }

  private static void sleepSeconds(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  static void log(String format, Object... args) {
    System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  /** A run that could not measure what it should (connections refused, a create failed). */
  private static final class SetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
      super(message);
    }
  }

  /** A flat JSON object, written by hand (the bench module has no dependencies). */
  static final class Json {
    private final StringBuilder text = new StringBuilder("{");

    Json put(String name, String value) {
      key(name).append('"');
      for (char c : value.toCharArray()) {
        switch (c) {
          case '"' -> text.append("\\\"");
          case '\\' -> text.append("\\\\");
          default -> {
            if (c < 0x20) {
              text.append(String.format("\\u%04x", (int) c));
            } else {
              text.append(c);
            }
          }
        }
      }
      text.append('"');
      return this;
    }

    Json put(String name, long value) {
      key(name).append(value);
      return this;
    }

    Json put(String name, double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        return putNull(name);
      }
      key(name).append(String.format(Locale.ROOT, "%.3f", value));
      return this;
    }

    Json putNull(String name) {
      key(name).append("null");
      return this;
    }

    private StringBuilder key(String name) {
      if (text.length() > 1) {
        text.append(',');
      }
      return text.append('"').append(name).append("\":");
    }

    @Override
    public String toString() {
      return text + "}";
    }
  }
}
