package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.util.Locale;

/**
 * What an idle connection costs the server: its RSS, live heap (--jvm or --v8) and threads, measured before and after
 * N clients connect and stay idle (answering pings), per connection.
 */
final class IdleFootprint implements Scenario {

  private static final WsEngine.Handler IGNORE = (loop, conn, a, offset, length, now) -> { };

  private final Options options;
  private final int clients;
  private final double settle;
  private final double settleMax;
  private final boolean jvm;
  private final boolean v8;
  private final String pid;

  IdleFootprint(Options options) {
    this.options = options;
    this.clients = options.intOption("--clients", 1000);
    this.settle = options.doubleOption("--seconds", 5);
    this.settleMax = options.doubleOption("--settle-max", 20);
    this.jvm = options.flag("--jvm");
    this.v8 = options.flag("--v8");
    this.pid = options.requirePid();
    if (jvm && v8) {
      throw new IllegalArgumentException("--jvm or --v8, not both");
    }
  }

  @Override
  public Result run() throws Exception {
    try (NodeInspector inspector = v8 ? new NodeInspector(pid) : null) {
      // Warm the server's connection path up (class loading, first buffers), so the deltas are per connection.
      WsEngine warm = Clients.engine(options, IGNORE);
      warm.start();
      warm.connect(Math.min(clients, 50), options.connectWindow);
      warm.shutdown(5000);
      Thread.sleep(1000);

      boolean heap = jvm || v8;
      long heapBefore = jvm ? Proc.liveHeapBytes(pid) : v8 ? inspector.liveHeapBytes() : 0;
      long rssBefore = settledRss();
      long threadsBefore = Proc.threads(pid);
      log("before: rss=%.1f MB threads=%d%s", rssBefore / 1e6, threadsBefore,
          heap ? String.format(Locale.ROOT, " live heap=%.1f MB", heapBefore / 1e6) : "");

      WsEngine engine = Clients.engine(options, IGNORE);
      engine.start();
      Clients.connectAll(options, engine, clients);
      log("%d clients connected; idle for %.1f s", clients, settle);
      Thread.sleep((long) (settle * 1000));
      long heapAfter = jvm ? Proc.liveHeapBytes(pid) : v8 ? inspector.liveHeapBytes() : 0;
      long rssAfter = settledRss();
      long threadsAfter = Proc.threads(pid);
      int stillOpen = engine.openCount();
      log("after: rss=%.1f MB threads=%d%s; %d of %d connections still open", rssAfter / 1e6, threadsAfter,
          heap ? String.format(Locale.ROOT, " live heap=%.1f MB", heapAfter / 1e6) : "", stillOpen, clients);
      Clients.reportProblems(engine);
      engine.shutdown(5000);
      if (stillOpen < clients) {
        throw new SetupException((clients - stillOpen) + " of " + clients + " idle connections were closed");
      }
      Result result = new Result("idle").put("clients", clients)
          .put("rssBytesPerConnection", (rssAfter - rssBefore) / (double) clients);
      if (heap) {
        result.put("heapBytesPerConnection", (heapAfter - heapBefore) / (double) clients);
      } else {
        result.putNull("heapBytesPerConnection");
      }
      return result.put("threadsBefore", threadsBefore).put("threadsAfter", threadsAfter);
    }
  }

  /**
   * The server's RSS once it stops moving: read every second until three readings in a row stay within 0.5 % of each
   * other (garbage collectors, V8's in particular, give memory back some seconds after the load ends), at most
   * --settle-max seconds; the last reading then.
   */
  private long settledRss() throws InterruptedException {
    long deadline = System.nanoTime() + (long) (settleMax * 1e9);
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
}
