package dev.capws.bench;

import java.util.Locale;

/** Progress and diagnostics on stderr: stdout is kept for the one result line that compare.sh reads. */
final class Log {

  private Log() {
  }

  static void log(String format, Object... args) {
    System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
  }
}
