package dev.capws.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The servers' CPU over a measured phase by thread, user and system time apart, from /proc/<pid>/task: where a
 * frame's cost goes (the fan-out's system calls, the requests that create, the container's poller, the JIT, the
 * GC). Threads are grouped by name with the numbers taken out ("http-nio-#-e" is every Tomcat worker); a thread that
 * both started and ended inside the phase is not seen.
 */
final class ServerThreads {

  /** Groups under this share of the servers' time are left out of the summary. */
  private static final double MIN_SHARE = 0.01;

  private final String[] pids;
  private final Map<String, long[]> start;
  private Map<String, long[]> end;

  private ServerThreads(String[] pids) {
    this.pids = pids;
    this.start = read();
  }

  /** Reads the threads' counters now; pid is one pid or a comma-separated list (null: nothing is measured). */
  static ServerThreads start(String pid) {
    return new ServerThreads(pid == null ? new String[0] : Options.pids(pid));
  }

  /** Reads the counters at the end of the phase. */
  void end() {
    end = read();
  }

  /**
   * The CPU each group spent in the phase, per unit: "name user+sys us; ..." largest first (with several pids
   * each name is prefixed by the pid's place in the list, "2:ws-fan-out"); null without pids.
   */
  String perUnit(long units) {
    if (pids.length == 0 || end == null) {
      return null;
    }
    Map<String, long[]> spent = new HashMap<>();
    long total = 0;
    for (Map.Entry<String, long[]> now : end.entrySet()) {
      long[] before = start.getOrDefault(now.getKey(), new long[2]);
      long[] delta = {now.getValue()[0] - before[0], now.getValue()[1] - before[1]};
      spent.put(now.getKey(), delta);
      total += delta[0] + delta[1];
    }
    double per = Proc.TICK_MICROS / (double) Math.max(1, units);
    long floor = (long) Math.ceil(total * MIN_SHARE);
    StringBuilder text = new StringBuilder();
    spent.entrySet().stream().filter(e -> e.getValue()[0] + e.getValue()[1] >= Math.max(1, floor))
        .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
        .forEach(e -> text.append(text.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
            "%s %.2f+%.2f us", e.getKey(), e.getValue()[0] * per, e.getValue()[1] * per)));
    return text.toString();
  }

  /** utime and stime ticks by thread group over all pids. */
  private Map<String, long[]> read() {
    Map<String, long[]> groups = new HashMap<>();
    for (int i = 0; i < pids.length; i++) {
      String prefix = pids.length > 1 ? (i + 1) + ":" : "";
      for (Proc.Task task : Proc.tasks(pids[i])) {
        long[] sum = groups.computeIfAbsent(prefix + task.name().replaceAll("[0-9]+", "#"), n -> new long[2]);
        sum[0] += task.userTicks();
        sum[1] += task.systemTicks();
      }
    }
    return groups;
  }
}
