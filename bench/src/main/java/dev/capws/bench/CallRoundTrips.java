package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.util.concurrent.locks.LockSupport;

/**
 * Calls: C clients each keep P {@code message} calls in flight; after a warm-up, replies, error frames and round-trip
 * latencies are counted for --seconds (the calls sent and answered in that window).
 */
final class CallRoundTrips implements Scenario {

  private final Options options;
  private final int clients;
  private final int pipeline;
  private final double warmupSeconds;
  private final double seconds;

  CallRoundTrips(Options options) {
    this.options = options;
    this.clients = options.intOption("--clients", 50);
    this.pipeline = options.intOption("--pipeline", 1);
    this.warmupSeconds = options.doubleOption("--warmup", 3);
    this.seconds = options.doubleOption("--seconds", 10);
  }

  @Override
  public Result run() throws Exception {
    CallPipeline.Window window = new CallPipeline.Window();
    WsEngine engine = Clients.engine(options, CallPipeline.handler(pipeline, window));
    for (Loop loop : engine.loops) {
      loop.state = new CallPipeline(CallFrames.of(options));
    }
    engine.start();
    Clients.connectAll(options, engine, clients);

    log("calls: %d clients, %d in flight each; warm-up %.1f s", clients, pipeline, warmupSeconds);
    for (Loop loop : engine.loops) {
      loop.submit(() -> {
        for (Conn conn : engine.conns()) {
          if (conn.loop == loop && conn.isOpen()) {
            conn.sentAt = new long[pipeline];
            conn.slotIds = new long[pipeline];
            for (int slot = 0; slot < pipeline; slot++) {
              CallPipeline.call(loop, conn, slot, slot);
            }
          }
        }
      });
    }
    Thread.sleep((long) (warmupSeconds * 1000));
    long replies = 0;
    for (Loop loop : engine.loops) {
      replies += ((CallPipeline) loop.state).publishedReplies;
    }
    if (replies == 0) {
      log("no replies during the warm-up: the server does not answer `message` frames (the Node plugin never "
          + "replies over plain WebSocket)");
    }
    MeasuredPhase phase = MeasuredPhase.start(options.pid);
    long from = System.nanoTime();
    window.measureFrom = from;
    Thread.sleep((long) (seconds * 1000));
    long to = System.nanoTime();
    window.measureTo = to;
    phase.end();
    window.stopping = true;
    long deadline = System.nanoTime() + options.silenceNanos;
    while (System.nanoTime() < deadline) {
      long inFlight = 0;
      for (Loop loop : engine.loops) {
        inFlight += ((CallPipeline) loop.state).publishedInFlight;
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
    for (Loop loop : engine.loops) {
      CallPipeline s = (CallPipeline) loop.state;
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
    for (Loop loop : engine.loops) {
      if (((CallPipeline) loop.state).sample != null) {
        log("a frame without a reply id: %s", ((CallPipeline) loop.state).sample);
      }
    }
    Clients.reportProblems(engine);
    phase.logGeneratorCost(calls + errors, "call", threadTicks);
    Result result = new Result("calls").put("clients", clients).put("calls", calls).put("errors", errors)
        .put("seconds", measured).put("callsPerSecond", calls / measured)
        .put("cpuMicrosPerCall", phase.serverMicros() / (calls + errors))
        .putMillis("p50Ms", latencies.quantile(0.50)).putMillis("p99Ms", latencies.quantile(0.99))
        .putMillis("maxMs", latencies.count() == 0 ? -1 : latencies.max());
    String threads = phase.byThread(calls + errors);
    return threads == null ? result : result.put("cpuByThread", threads);
  }
}
