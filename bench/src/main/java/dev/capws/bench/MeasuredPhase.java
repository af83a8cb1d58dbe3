package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.util.Locale;

/**
 * CPU time over a scenario's measured phase: the server's (utime + stime of --pid from /proc, in 10 ms ticks; with a
 * comma-separated list of pids, such as two instances and their redis-server, the sum of all), the generator's in all
 * (JIT compilers and GC included) and that of its selector threads alone.
 */
final class MeasuredPhase {

  private final String pid;
  /** Each pid's ticks at the start and the end, for the breakdown in the log. */
  private long[] each0;
  private long[] each1;
  private ServerThreads threads;
  private long server0;
  private long self0;
  private long loops0;
  private long server1;
  private long self1;
  private long loops1;

  private MeasuredPhase(String pid) {
    this.pid = pid;
  }

  /**
   * Reads the counters at the start of the phase; pid is one pid or a comma-separated list of them (their CPU is
   * summed), or null (the server's CPU is then not measured).
   */
  static MeasuredPhase start(String pid) {
    MeasuredPhase phase = new MeasuredPhase(pid);
    phase.threads = ServerThreads.start(pid);
    phase.each0 = phase.eachTicks();
    phase.server0 = sum(phase.each0);
    phase.self0 = Proc.cpuTicks("self");
    phase.loops0 = Proc.threadTicks("ws-loop");
    return phase;
  }

  void end() {
    each1 = eachTicks();
    threads.end();
    server1 = sum(each1);
    self1 = Proc.cpuTicks("self");
    loops1 = Proc.threadTicks("ws-loop");
  }

  /** The server's CPU microseconds in the phase; NaN (written as null) without --pid. */
  double serverMicros() {
    return pid == null ? Double.NaN : (server1 - server0) * (double) Proc.TICK_MICROS;
  }

  /**
   * Logs the generator's own CPU in the phase per unit delivered: the whole process, and its selector threads alone
   * (the per-frame cost that remains once the JIT is done); threadTicks is where its time went since the start.
   */
  void logGeneratorCost(long units, String unit, String threadTicks) {
    long ticks = self1 - self0;
    long loopTicks = loops1 - loops0;
    double per = Proc.TICK_MICROS / (double) Math.max(1, units);
    log("generator cpu in the measured phase: %.0f ms = %.2f us per %s (selector threads alone: %.0f ms = %.2f us "
        + "per %s); its threads since start: %s", ticks * 10.0, ticks * per, unit, loopTicks * 10.0, loopTicks * per,
        unit, threadTicks);
    String split = byProcess(units, unit);
    if (split != null) {
      log("server cpu in the measured phase by process: %s", split);
    }
  }

  /**
   * With several pids: each one's CPU per unit, "<pid> <name> <us>; ..." in the order given (null with one pid or
   * none), so that a sum over instances and Redis can be told apart.
   */
  String byProcess(long units, String unit) {
    if (each0 == null || each0.length < 2 || each1 == null) {
      return null;
    }
    String[] pids = Options.pids(pid);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pids.length; i++) {
      text.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %s %.2f us/%s", pids[i],
          Proc.name(pids[i]), (each1[i] - each0[i]) * (double) Proc.TICK_MICROS / Math.max(1, units), unit));
    }
    return text.toString();
  }

  /** The servers' CPU per unit by thread group, user+sys ({@link ServerThreads}); null without --pid. */
  String byThread(long units) {
    return threads.perUnit(units);
  }

  /** Each pid's ticks; null without --pid. */
  private long[] eachTicks() {
    if (pid == null) {
      return null;
    }
    String[] pids = Options.pids(pid);
    long[] ticks = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      ticks[i] = Proc.cpuTicks(pids[i]);
    }
    return ticks;
  }

  private static long sum(long[] ticks) {
    if (ticks == null) {
      return -1;
    }
    long sum = 0;
    for (long t : ticks) {
      sum += t;
    }
    return sum;
  }
}
