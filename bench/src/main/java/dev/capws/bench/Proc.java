package dev.capws.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** What Linux's /proc (and, for JVMs, jcmd) tells about a process. */
final class Proc {

  /** USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 10 ms on Linux. */
  static final long TICK_MICROS = 10_000;

  private Proc() {
  }

  /** utime + stime of a process ("self" for this one), in clock ticks. */
  static long cpuTicks(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e, e);
    }
  }

  /** The process's name (comm: java, node, redis-server); "?" if it cannot be read. */
  static String name(String pid) {
    try {
      return Files.readString(Path.of("/proc", pid, "comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** One thread's name (comm) and CPU ticks, user and system apart. */
  record Task(String name, long userTicks, long systemTicks) {
  }

  /** The threads of a process ("self" for this one) as they stand now; none if it cannot be read. */
  static List<Task> tasks(String pid) {
    List<Task> tasks = new ArrayList<>();
    try (var entries = Files.list(Path.of("/proc", pid, "task"))) {
      for (Path task : (Iterable<Path>) entries::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          tasks.add(new Task(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
              Long.parseLong(fields[11]), Long.parseLong(fields[12])));
        } catch (IOException | RuntimeException ignored) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // the process ended: the caller reports what it misses
    }
    return tasks;
  }

  /** CPU ticks of this process's threads by thread name (comm), largest first: where the generator's time went. */
  static String threadTicks() {
    Map<String, Long> byName = new TreeMap<>();
    for (Task task : tasks("self")) {
      String name = task.name().replaceAll("[0-9]+$", "#");
      byName.merge(name, task.userTicks() + task.systemTicks(), Long::sum);
      byName.merge(name + "(sys)", task.systemTicks(), Long::sum);
    }
    StringBuilder text = new StringBuilder();
    byName.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue() * 10).append("ms "));
    return text.toString().trim();
  }

  /** CPU ticks of this process's threads whose name starts with prefix. */
  static long threadTicks(String prefix) {
    return tasks("self").stream().filter(task -> task.name().startsWith(prefix))
        .mapToLong(task -> task.userTicks() + task.systemTicks()).sum();
  }

  /** A field of /proc/<pid>/status as a number (VmRSS in kB, Threads). */
  static long status(String pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(field + ":")) {
          String value = line.substring(field.length() + 1).trim();
          int space = value.indexOf(' ');
          return Long.parseLong(space < 0 ? value : value.substring(0, space));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e, e);
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
  }

  static long rssBytes(String pid) {
    return status(pid, "VmRSS") * 1024;
  }

  static long threads(String pid) {
    return status(pid, "Threads");
  }

  /**
   * Live heap of a JVM in bytes: the "Total" line of {@code jcmd <pid> GC.class_histogram}, which runs a full GC
   * first, so only reachable objects are counted.
   */
  static long liveHeapBytes(String pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    try {
      Process process = new ProcessBuilder(command, pid, "GC.class_histogram").redirectErrorStream(true).start();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      try (InputStream in = process.getInputStream()) {
        in.transferTo(output);
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd did not finish");
      }
      String text = output.toString(StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("Total")) {
          String[] parts = trimmed.split("\\s+");
          return Long.parseLong(parts[parts.length - 1]);
        }
      }
      throw new IllegalStateException("no Total line in jcmd output: " + text.lines().limit(5).toList());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
