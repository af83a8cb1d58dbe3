package dev.capws.websocket.internal.broker;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * The recent events of each service with recovery, in this instance's memory, so that a client that lost its
 * connection for a moment gets what it missed. Bounded by count and by age per service; its epoch is new with every
 * start, so positions from before a restart are refused (the client reloads instead).
 */
final class LocalHistory {

  private record Entry(Delivery delivery, long at) {
  }

  private final String epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final int maxEvents;
  private final long maxAgeMillis;
  private final Clock clock;
  private final Map<String, Deque<Entry>> byService = new ConcurrentHashMap<>();
  private long next;

  LocalHistory(int maxEvents, long maxAgeMillis, Clock clock) {
    this.maxEvents = maxEvents;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  /** Gives the envelope the next position and keeps it. */
  synchronized Delivery append(Envelope envelope) {
    Delivery delivery = new Delivery(envelope, new Position(epoch, ++next, 0));
    Deque<Entry> entries = byService.computeIfAbsent(envelope.serviceName(), s -> new ArrayDeque<>());
    entries.addLast(new Entry(delivery, clock.millis()));
    trim(entries);
    return delivery;
  }

  /**
   * What the service's clients got after {@code position}, oldest first; empty if the history no longer holds that
   * position (another epoch, trimmed away, or never given).
   */
  synchronized Optional<List<Delivery>> since(String serviceName, Position position) {
    if (!epoch.equals(position.epoch()) || position.minor() != 0 || position.major() > next) {
      return Optional.empty();
    }
    Deque<Entry> entries = byService.getOrDefault(serviceName, new ArrayDeque<>());
    trim(entries);
    List<Delivery> after = new ArrayList<>();
    boolean found = false;
    for (Entry entry : entries) {
      int order = entry.delivery().position().compareTo(position);
      found |= order == 0;
      if (order > 0) {
        after.add(entry.delivery());
      }
    }
    // The position itself must still be here: otherwise events after it may have been trimmed away.
    return found || position.major() == next && after.isEmpty() ? Optional.of(after) : Optional.empty();
  }

  private void trim(Deque<Entry> entries) {
    long oldest = clock.millis() - maxAgeMillis;
    while (!entries.isEmpty() && (entries.size() > maxEvents || entries.peekFirst().at() < oldest)) {
      entries.removeFirst();
    }
  }
}
