package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The fan-out: N connected clients, then W warm-up and M measured OData creates, each of which the server notifies
 * to every client. Every client must receive every measured event exactly once; latency runs from just before a
 * create is sent to the frame's arrival at the first and at the last client. Sequential (one create at a time),
 * concurrent (K in flight) or paced (--interval-ms).
 */
final class EventFanOut implements Scenario {

  private final Options options;
  private final int clients;
  private final int events;
  private final int warmup;
  private final boolean concurrent;
  private final int concurrency;
  private final double intervalMs;

  EventFanOut(Options options) {
    this.options = options;
    this.clients = options.intOption("--clients", 100);
    this.events = options.intOption("--events", 200);
    this.warmup = options.intOption("--warmup", 50);
    this.concurrent = options.concurrent();
    this.concurrency = concurrent ? options.intOption("--concurrency", 4) : 1;
    this.intervalMs = options.doubleOption("--interval-ms", 0);
  }

  @Override
  public Result run() throws Exception {
    int total = warmup + events;
    WsEngine engine = Clients.engine(options, EventReceipts.handler(total));
    for (Loop loop : engine.loops) {
      loop.state = new EventReceipts(total, warmup);
    }
    engine.batchNanos = (long) (options.doubleOption("--batch-micros", 0) * 1000);
    engine.start();
    Clients.connectAll(options, engine, clients);

    long[] sentAt = new long[total];
    long[] answeredAt = new long[total];
    OdataCreates creates = new OdataCreates(options, concurrency, sentAt, answeredAt);
    log("warm-up: %d creates", warmup);
    creates.post(0, warmup);
    long expectedWarmup = (long) clients * warmup;
    if (!EventReceipts.await(engine, expectedWarmup, options.silenceNanos)) {
      log("warm-up incomplete: %d of %d frames", EventReceipts.received(engine), expectedWarmup);
    }

    log("measuring: %d creates, %s%s", events, concurrent ? "concurrent" : "sequential",
        concurrent ? ", " + concurrency + " in flight" : "");
    MeasuredPhase phase = MeasuredPhase.start(options.pid);
    long start = System.nanoTime();
    creates.post(warmup, total);
    log("creates sent in %.2f s; waiting for the frames", (System.nanoTime() - start) / 1e9);
    boolean complete = EventReceipts.await(engine, (long) clients * total, options.silenceNanos);
    phase.end();

    long frames = 0;
    long duplicates = 0;
    long stray = 0;
    long other = 0;
    long lastFrame = start;
    long[] first = new long[events];
    long[] last = new long[events];
    long[] firstAt = new long[total];
    long[] lastAt = new long[total];
    int withFrames = 0;
    for (int e = warmup; e < total; e++) {
      long f = Long.MAX_VALUE;
      long l = Long.MIN_VALUE;
      long n = 0;
      for (Loop loop : engine.loops) {
        EventReceipts s = (EventReceipts) loop.state;
        if (s.count[e] > 0) {
          f = Math.min(f, s.first[e]);
          l = Math.max(l, s.last[e]);
          n += s.count[e];
        }
      }
      frames += n;
      if (n > 0) {
        firstAt[e] = f;
        lastAt[e] = l;
        first[withFrames] = f - sentAt[e];
        last[withFrames] = l - sentAt[e];
        withFrames++;
        lastFrame = Math.max(lastFrame, l);
      }
    }
    for (Loop loop : engine.loops) {
      EventReceipts s = (EventReceipts) loop.state;
      duplicates += s.measuredDuplicates;
      stray += s.stray;
      other += s.other;
    }
    String trace = options.option("--trace", null);
    if (trace != null) {
      new EventTrace(Path.of(trace)).write(warmup, total, sentAt, answeredAt, firstAt, lastAt);
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
    Clients.reportProblems(engine);
    phase.logGeneratorCost(frames, "frame", Proc.threadTicks());
    engine.shutdown(5000);

    Result result = new Result("fanout")
        .put("mode", intervalMs > 0 ? "paced" : concurrent ? "concurrent" : "sequential")
        .put("intervalMs", intervalMs).put("clients", clients).put("events", events).put("frames", frames)
        .put("lost", lost).put("duplicates", duplicates).put("seconds", seconds).put("framesPerSecond", frames / seconds)
        .put("cpuMicrosPerFrame", phase.serverMicros() / frames)
        .putMillis("firstP50Ms", quantile(first, 0.50)).putMillis("firstP99Ms", quantile(first, 0.99))
        .putMillis("firstMaxMs", quantile(first, 1.0))
        .putMillis("lastP50Ms", quantile(last, 0.50)).putMillis("lastP99Ms", quantile(last, 0.99))
        .putMillis("lastMaxMs", quantile(last, 1.0))
        .shortfall(lost != 0 || duplicates != 0);
    String split = phase.byProcess(frames, "frame");
    if (split != null) {
      result.put("cpuByProcess", split);
    }
    String threads = phase.byThread(frames);
    return threads == null ? result : result.put("cpuByThread", threads);
  }

  /** The nearest-rank quantile of sorted values; -1 if there are none. */
  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
    return sorted[Math.min(sorted.length, rank) - 1];
  }
}
