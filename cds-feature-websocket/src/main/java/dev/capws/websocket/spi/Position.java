package dev.capws.websocket.spi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an event stands in its service's history: the history's epoch (a new one whenever the history starts afresh,
 * e.g. a Redis server that lost its data, or a restarted instance with the local broker) and the offset within it.
 * Clients see it as an opaque string, {@code <epoch>:<major>-<minor>}; the offset of a Redis stream entry is its ID
 * ({@code <milliseconds>-<sequence>}), that of the local history a counter with minor 0.
 */
public record Position(String epoch, long major, long minor) implements Comparable<Position> {

  private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9]{1,64}):(\\d{1,19})-(\\d{1,19})");

  /** The position a client sends back, or null if it is not one (malformed, or out of range). */
  public static Position parse(String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      return null;
    }
    try {
      return new Position(matcher.group(1), Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)));
    } catch (NumberFormatException e) {
      return null; // beyond a long
    }
  }

  /** A Redis stream entry ID ({@code <major>-<minor>}) in this epoch. */
  public static Position ofStreamId(String epoch, String id) {
    int dash = id.indexOf('-');
    return new Position(epoch, Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
  }

  /** The offset as a Redis stream entry ID. */
  public String streamId() {
    return major + "-" + minor;
  }

  /** Offsets compare within one epoch only; callers check the epoch first. */
  @Override
  public int compareTo(Position other) {
    int byMajor = Long.compare(major, other.major);
    return byMajor != 0 ? byMajor : Long.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return epoch + ":" + major + "-" + minor;
  }
}
