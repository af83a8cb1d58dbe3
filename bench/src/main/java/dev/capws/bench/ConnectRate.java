package dev.capws.bench;

import static dev.capws.bench.Log.log;

/**
 * How fast the server accepts connections: --warmup connections first (closed again), then N as fast as possible
 * with at most --concurrency handshakes (TCP connect + upgrade) in flight; connects per second from the first connect
 * to the last finished handshake, server CPU per connect, failures.
 */
final class ConnectRate implements Scenario {

  private static final WsEngine.Handler IGNORE = (loop, conn, a, offset, length, now) -> { };

  private final Options options;
  private final int clients;
  private final int concurrency;
  private final int warmup;

  ConnectRate(Options options) {
    this.options = options;
    this.clients = options.intOption("--clients", 2000);
    this.concurrency = options.intOption("--concurrency", 200);
    this.warmup = options.intOption("--warmup", 200);
  }

  @Override
  public Result run() throws Exception {
    if (warmup > 0) {
      WsEngine warm = Clients.engine(options, IGNORE);
      warm.start();
      warm.connect(warmup, concurrency);
      warm.shutdown(5000);
      Thread.sleep(1000);
    }
    WsEngine engine = Clients.engine(options, IGNORE);
    engine.start();
    log("connect: %d connections, %d handshakes in flight", clients, concurrency);
    MeasuredPhase phase = MeasuredPhase.start(options.pid);
    long start = System.nanoTime();
    engine.connect(clients, concurrency);
    long end = System.nanoTime();
    phase.end();
    int opened = engine.opened.get();
    int failed = engine.failed.get();
    double seconds = (end - start) / 1e9;
    log("opened=%d failed=%d in %.2f s", opened, failed, seconds);
    Clients.reportProblems(engine);
    phase.logGeneratorCost(opened, "connect", Proc.threadTicks());
    engine.shutdown(10_000);
    return new Result("connect").put("clients", clients)
        .put("connectsPerSecond", opened / seconds).put("cpuMicrosPerConnect", phase.serverMicros() / opened)
        .put("failed", failed)
        .shortfall(failed != 0);
  }
}
