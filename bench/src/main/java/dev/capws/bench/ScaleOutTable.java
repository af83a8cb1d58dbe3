package dev.capws.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The scale-out scenario's tables: per server, one instance ("local") beside two instances and Redis ("redis"), for
 * the fan-out (frames/s, server CPU per frame summed over every process, POST-to-last-client latency for clients on
 * the other instance) and the recovery replay; then the targets, met or not: CPU per frame with Redis within
 * 20 % of local, and the paced p99 latency across instances within 5 ms of one instance's. A missing value shows "-".
 */
final class ScaleOutTable {

  /** CPU per frame with Redis may be at most this times local's. */
  static final double CPU_FACTOR = 1.2;
  /** The paced p99 POST-to-last-client with Redis may be at most this many ms above local's. */
  static final double P99_MARGIN_MS = 5;

  private static final List<String> SERVERS = List.of("java", "node");

  /** A row: what was measured, and whether redis vs local is a ratio (rates, CPU) or a difference in ms (latency). */
  private record Metric(String key, String label, String format, Compare compare) {}

  private enum Compare { RATIO, DIFFERENCE, NONE }

  private static final List<Metric> FANOUT = List.of(
      new Metric("framesPerSecond", "frames/s", "%,.0f", Compare.RATIO),
      new Metric("cpuMicrosPerFrame", "server CPU us/frame (all processes)", "%.2f", Compare.RATIO),
      new Metric("lastP50Ms", "p50 POST-to-last-client ms", "%.1f", Compare.DIFFERENCE),
      new Metric("lastP99Ms", "p99 POST-to-last-client ms", "%.1f", Compare.DIFFERENCE),
      new Metric("firstP99Ms", "p99 POST-to-first-client ms", "%.1f", Compare.DIFFERENCE),
      new Metric("lost", "frames lost", "%.0f", Compare.NONE),
      new Metric("duplicates", "duplicate frames", "%.0f", Compare.NONE));

  private static final List<Metric> RECOVERY = List.of(
      new Metric("eventsPerSecond", "replay events/s (median round)", "%,.0f", Compare.RATIO),
      new Metric("replayMs", "reconnect to last recovered frame ms (median)", "%.1f", Compare.DIFFERENCE),
      new Metric("statusMs", "reconnect to wsRecovery frame ms (median)", "%.1f", Compare.DIFFERENCE),
      new Metric("cpuMicrosPerEvent", "server CPU us/replayed event (all processes)", "%.1f", Compare.RATIO),
      new Metric("missing", "events missing (all rounds)", "%.0f", Compare.NONE),
      new Metric("duplicates", "events duplicated (all rounds)", "%.0f", Compare.NONE),
      new Metric("outOfOrder", "events out of order (all rounds)", "%.0f", Compare.NONE));

  private ScaleOutTable() {
  }

  static String all(Results results) {
    return targets(results) + table(results) + failures(results);
  }

  private static String targets(Results results) {
    StringBuilder out = new StringBuilder("## Scale-out targets\n\n");
    out.append("| target | server | where | local | redis | redis vs local | |\n|---|---|---|---:|---:|---:|---|\n");
    for (String server : SERVERS) {
      String who = server.equals("java") ? "java" : "node (for comparison)";
      for (String mode : modes(results)) {
        Double local = value(results, server, "local", "fanout", mode, "cpuMicrosPerFrame");
        Double redis = value(results, server, "redis", "fanout", mode, "cpuMicrosPerFrame");
        out.append("| CPU per frame with Redis <= ").append(CPU_FACTOR).append("x local | ").append(who).append(" | ")
            .append(where(results, server, mode)).append(" | ").append(format("%.2f", local)).append(" | ")
            .append(format("%.2f", redis)).append(" | ").append(ratio(redis, local)).append(" | ")
            .append(verdict(local, redis, redis != null && local != null && redis <= CPU_FACTOR * local))
            .append(" |\n");
      }
      if (modes(results).contains("paced")) {
        Double local = value(results, server, "local", "fanout", "paced", "lastP99Ms");
        Double redis = value(results, server, "redis", "fanout", "paced", "lastP99Ms");
        out.append("| p99 POST-to-last-client across instances <= local + ").append(format("%.0f", P99_MARGIN_MS))
            .append(" ms, paced, 1000 clients | ").append(who).append(" | ").append(where(results, server, "paced"))
            .append(" | ").append(format("%.1f ms", local)).append(" | ").append(format("%.1f ms", redis))
            .append(" | ").append(difference("%.1f", redis, local)).append(" | ")
            .append(verdict(local, redis, redis != null && local != null && redis <= local + P99_MARGIN_MS))
            .append(" |\n");
      }
    }
    return out.append('\n').toString();
  }

  private static String table(Results results) {
    StringBuilder out = new StringBuilder("## Scale-out\n\n");
    out.append("Ratios are redis/local; for latencies the difference redis - local in ms.\n\n");
    out.append("| | java local | java redis | redis vs local | node local | node redis | redis vs local |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String mode : modes(results)) {
      String label = "fanout " + clientsOf(results, "fanout", mode) + " " + mode + ": ";
      for (Metric metric : FANOUT) {
        row(out, results, label, "fanout", mode, metric);
        if (metric.key.equals("cpuMicrosPerFrame")) {
          split(out, results, label, "fanout", mode);
        }
      }
    }
    if (results.scaleOut().stream().anyMatch(l -> "recovery".equals(l.get("scenario")))) {
      String events = format("%.0f", any(results, "recovery", null, "events"));
      String rounds = format("%.0f", any(results, "recovery", null, "rounds"));
      String label = "recovery, " + events + " missed events x " + rounds + " rounds: ";
      for (Metric metric : RECOVERY) {
        row(out, results, label, "recovery", null, metric);
        if (metric.key.equals("cpuMicrosPerEvent")) {
          split(out, results, label, "recovery", null);
        }
      }
      out.append("| ").append(label).append("recovered, every event once and in order |");
      for (String server : SERVERS) {
        for (String setup : List.of("local", "redis")) {
          out.append(' ').append(recovered(results, server, setup)).append(" |");
        }
        out.append(" |");
      }
      out.append('\n');
    }
    return out.append('\n').toString();
  }

  private static void row(StringBuilder out, Results results, String label, String scenario, String mode,
      Metric metric) {
    StringBuilder cells = new StringBuilder();
    boolean any = false;
    for (String server : SERVERS) {
      Double local = value(results, server, "local", scenario, mode, metric.key);
      Double redis = value(results, server, "redis", scenario, mode, metric.key);
      any |= local != null || redis != null;
      cells.append(' ').append(format(metric.format, local)).append(" | ").append(format(metric.format, redis))
          .append(" | ").append(switch (metric.compare) {
            case RATIO -> ratio(redis, local);
            case DIFFERENCE -> difference(metric.format, redis, local);
            case NONE -> "";
          }).append(" |");
    }
    if (any) {
      out.append("| ").append(label).append(metric.label).append(" |").append(cells).append('\n');
    }
  }

  /** The redis setup's CPU by process (first instance + second instance + redis-server), from "cpuByProcess". */
  private static void split(StringBuilder out, Results results, String label, String scenario, String mode) {
    StringBuilder cells = new StringBuilder();
    boolean any = false;
    for (String server : SERVERS) {
      Map<String, Object> line = line(results, server, "redis", scenario, mode);
      String split = line != null && line.get("cpuByProcess") instanceof String text ? sum(text) : "-";
      any |= !split.equals("-");
      cells.append("  | ").append(split).append(" |  |");
    }
    if (any) {
      out.append("| ").append(label).append("of which instance 1 + instance 2 + redis-server |").append(cells)
          .append('\n');
    }
  }

  /** "pid java 5.10 us/frame; pid java 9.80 us/frame; ..." as "5.10 + 9.80 + ...". */
  private static String sum(String split) {
    StringBuilder out = new StringBuilder();
    for (String part : split.split(";")) {
      String[] words = part.trim().split(" ");
      out.append(out.isEmpty() ? "" : " + ").append(words.length >= 3 ? words[2] : "?");
    }
    return out.toString();
  }

  private static String recovered(Results results, String server, String setup) {
    Map<String, Object> line = line(results, server, setup, "recovery", null);
    if (line == null) {
      return "-";
    }
    boolean all = Boolean.TRUE.equals(line.get("recovered")) && line.get("count") instanceof Double c
        && line.get("events") instanceof Double e && c.equals(e) && zero(line, "missing") && zero(line, "duplicates")
        && zero(line, "outOfOrder");
    return all ? "yes" : "**no**";
  }

  private static boolean zero(Map<String, Object> line, String field) {
    return line.get(field) instanceof Double d && d == 0;
  }

  private static String failures(Results results) {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> line : results.scaleOut()) {
      if (line.get("error") != null) {
        out.append("- ").append(line.get("server")).append(' ').append(line.get("setup")).append(' ')
            .append(line.get("scenario")).append(": ").append(line.get("error")).append('\n');
      }
    }
    return out.isEmpty() ? "" : "## Scale-out runs without a result\n\n" + out + '\n';
  }

  /** The fan-out modes measured, sequential first. */
  private static List<String> modes(Results results) {
    TreeSet<String> modes = new TreeSet<>(Results.MODES);
    results.scaleOut().stream().filter(l -> "fanout".equals(l.get("scenario")) && l.get("mode") instanceof String)
        .forEach(l -> modes.add((String) l.get("mode")));
    return List.copyOf(modes);
  }

  private static String where(Results results, String server, String mode) {
    Map<String, Object> line = line(results, server, "redis", "fanout", mode);
    if (line == null) {
      line = line(results, server, "local", "fanout", mode);
    }
    Object clients = line == null ? null : line.get("clients");
    return "fanout " + format("%.0f", clients instanceof Double d ? d : null) + " " + mode;
  }

  private static String clientsOf(Results results, String scenario, String mode) {
    return format("%.0f", any(results, scenario, mode, "clients"));
  }

  /** A value of any line of the scenario and mode (for labels: clients, events). */
  private static Double any(Results results, String scenario, String mode, String field) {
    for (String server : SERVERS) {
      for (String setup : List.of("redis", "local")) {
        Map<String, Object> line = line(results, server, setup, scenario, mode);
        if (line != null && line.get(field) instanceof Double d) {
          return d;
        }
      }
    }
    return null;
  }

  private static Double value(Results results, String server, String setup, String scenario, String mode,
      String metric) {
    Map<String, Object> line = line(results, server, setup, scenario, mode);
    return line != null && line.get(metric) instanceof Double d ? d : null;
  }

  /** The last line without an error of this server, setup, scenario and mode (null: any mode); null if none. */
  private static Map<String, Object> line(Results results, String server, String setup, String scenario,
      String mode) {
    Map<String, Object> found = null;
    for (Map<String, Object> line : results.scaleOut()) {
      if (server.equals(line.get("server")) && setup.equals(line.get("setup")) && scenario.equals(line.get("scenario"))
          && (mode == null || mode.equals(line.get("mode"))) && line.get("error") == null) {
        found = line;
      }
    }
    return found;
  }

  private static String verdict(Double local, Double redis, boolean met) {
    return local == null || redis == null ? "no data" : met ? "**met**" : "**not met**";
  }

  private static String format(String format, Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, format, value);
  }

  private static String ratio(Double redis, Double local) {
    return redis == null || local == null || local == 0 ? "-"
        : String.format(Locale.ROOT, "%.2fx", redis / local);
  }

  private static String difference(String format, Double redis, Double local) {
    return redis == null || local == null ? "-"
        : (redis >= local ? "+" : "") + String.format(Locale.ROOT, format, redis - local);
  }
}
