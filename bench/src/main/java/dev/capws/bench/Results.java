package dev.capws.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The lines of a compare.sh results file: the generator's result lines with their {@code "server"}, and one
 * {@code "scenario":"meta"} line. Rows are keyed "clients|mode"; values are looked up per server, scenario, row and
 * metric. Every number is read as a double, since the tables compute ratios of them. Lines of the scale-out scenario
 * carry a {@code "setup"} ("local": one instance, "redis": two instances and Redis): they are kept apart
 * ({@link #scaleOut()}, {@link ScaleOutTable}) and do not mix with the one-server tables. So are the lines of runs
 * with Socket.IO clients ({@code "kind":"socket.io"}), against servers of that kind ({@link #socketIo()}).
 */
final class Results {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final TypeReference<LinkedHashMap<String, Object>> LINE = new TypeReference<>() {};

  /** Modes in the order of the tables and the chart's line styles: sequential (solid) before concurrent (dashed). */
  static final Comparator<String> MODES = Comparator.comparingInt((String m) -> switch (m) {
    case "", "sequential" -> 0;
    case "concurrent" -> 1;
    default -> 2;
  }).thenComparing(m -> m);

  private final List<Map<String, Object>> lines;
  private final List<Map<String, Object>> scaleOut;
  private final List<Map<String, Object>> socketIo;

  private Results(List<Map<String, Object>> lines, List<Map<String, Object>> scaleOut,
      List<Map<String, Object>> socketIo) {
    this.lines = lines;
    this.scaleOut = scaleOut;
    this.socketIo = socketIo;
  }

  /** Reads the JSON lines; an idle result also gets its memory per connection: RSS growth plus heap growth. */
  static Results read(Path file) throws IOException {
    List<Map<String, Object>> lines = new ArrayList<>();
    List<Map<String, Object>> scaleOut = new ArrayList<>();
    List<Map<String, Object>> socketIo = new ArrayList<>();
    for (String text : Files.readAllLines(file)) {
      if (text.isBlank()) {
        continue;
      }
      Map<String, Object> line;
      try {
        line = JSON.readValue(text, LINE);
      } catch (JsonProcessingException e) {
        line = null;
      }
      if (line == null) {
        System.err.println("skipped a line that is not a JSON object: " + text);
        continue;
      }
      line.replaceAll((name, value) -> value instanceof Number number ? number.doubleValue() : value);
      // With -Xms = -Xmx and AlwaysPreTouch the whole heap is resident from the start, so the JVM's RSS growth is
      // what lives outside the heap; the live heap it took is added. Node's heap grows inside its RSS.
      if ("idle".equals(line.get("scenario")) && line.get("rssBytesPerConnection") instanceof Double rss) {
        double heap = "java".equals(line.get("server")) && line.get("heapBytesPerConnection") instanceof Double h
            ? h : 0;
        line.put("memoryBytesPerConnection", rss + heap);
      }
      if (line.get("setup") != null) {
        scaleOut.add(line);
      } else if ("socket.io".equals(line.get("kind"))) {
        socketIo.add(line);
      } else {
        lines.add(line);
      }
    }
    return new Results(lines, scaleOut, socketIo);
  }

  /** The one-server lines (and the meta line). */
  List<Map<String, Object>> lines() {
    return lines;
  }

  /** The scale-out scenario's lines, each with its "setup". */
  List<Map<String, Object>> scaleOut() {
    return scaleOut;
  }

  /**
   * The lines of Socket.IO runs with the meta line, as results of their own: the same tables (by server, scenario,
   * row and metric) read them as they read the plain WebSocket lines. Empty when the run had none.
   */
  Results socketIo() {
    List<Map<String, Object>> view = new ArrayList<>(socketIo);
    if (!socketIo.isEmpty()) {
      lines.stream().filter(l -> "meta".equals(l.get("scenario"))).forEach(view::add);
    }
    return new Results(view, List.of(), List.of());
  }

  /** Whether the run measured anything on one server beside the meta line (else it was a scale-out run alone). */
  boolean hasOneServerResults() {
    return lines.stream().anyMatch(l -> !"meta".equals(l.get("scenario")));
  }

  /** The line describing the run (machine, command, sizes); empty if there is none. */
  Map<String, Object> meta() {
    return lines.stream().filter(l -> "meta".equals(l.get("scenario"))).findFirst().orElse(Map.of());
  }

  /** The rows of a scenario, by client count, then mode; a repeated run replaces the earlier one. */
  List<String> rowKeys(String scenario) {
    TreeSet<String> keys = new TreeSet<>((a, b) -> clients(a) != clients(b) ? Integer.compare(clients(a), clients(b))
        : MODES.compare(mode(a), mode(b)));
    lines.stream().filter(l -> scenario.equals(l.get("scenario"))).forEach(l -> keys.add(key(l)));
    return new ArrayList<>(keys);
  }

  /** The last value of a metric in a row, from runs without an error; null if there is none. */
  Double value(String server, String scenario, String key, String metric) {
    Double result = null;
    for (Map<String, Object> line : lines) {
      if (server.equals(line.get("server")) && scenario.equals(line.get("scenario")) && key.equals(key(line))
          && line.get("error") == null) {
        result = line.get(metric) instanceof Double d ? d : null;
      }
    }
    return result;
  }

  static String key(Map<String, Object> line) {
    Object clients = line.get("clients");
    int n = clients instanceof Double d ? d.intValue() : 0;
    Object mode = line.get("mode");
    return n + "|" + (mode == null ? "" : mode);
  }

  static String mode(String key) {
    return key.substring(key.indexOf('|') + 1);
  }

  static int clients(String key) {
    return Integer.parseInt(key.substring(0, key.indexOf('|')));
  }

  static String describe(String key) {
    String mode = mode(key);
    return clients(key) + (mode.isEmpty() ? "" : " " + mode);
  }
}
