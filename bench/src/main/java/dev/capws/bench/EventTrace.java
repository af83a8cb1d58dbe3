package dev.capws.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * --trace: one line per measured event, for finding out what the slowest events met on the server. Its send time
 * is written as wall-clock time (UTC, microseconds), which server logs (GC, JIT, the plugin's debug lines) can be
 * laid beside; then how long the create's answer, the first and the last client's frame took after it.
 */
final class EventTrace {

  private final Path file;
  /** Wall clock minus System.nanoTime(), taken once: the two are read together only here. */
  private final long epochOffsetNanos;

  EventTrace(Path file) {
    this.file = file;
    Instant now = Instant.now();
    this.epochOffsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }

  /** Writes events [from, to); first and last are per event, 0 where no client got it. */
  void write(int from, int to, long[] sentAt, long[] answeredAt, long[] first, long[] last) throws IOException {
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      out.println("event,sentUtc,answerMs,firstMs,lastMs");
      for (int e = from; e < to; e++) {
        long sent = sentAt[e];
        long wall = sent + epochOffsetNanos;
        Instant at = Instant.ofEpochSecond(wall / 1_000_000_000L, wall % 1_000_000_000L);
        out.printf("%d,%s,%.3f,%s,%s%n", e, at, (answeredAt[e] - sent) / 1e6, millis(first[e], sent),
            millis(last[e], sent));
      }
    }
  }

  private static String millis(long arrival, long sent) {
    return arrival == 0 ? "" : String.format("%.3f", (arrival - sent) / 1e6);
  }
}
