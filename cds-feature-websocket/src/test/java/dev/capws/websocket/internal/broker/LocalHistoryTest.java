package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/** The in-memory history of the local broker: positions, what followed a position, bounds by count and by age. */
class LocalHistoryTest {

  private final MutableClock clock = new MutableClock(1_000_000);

  private static Envelope event(String service, String frame) {
    return new Envelope(service, "t1", "tick", frame, everyone(), 0, true);
  }

  private static List<String> frames(Optional<List<Delivery>> deliveries) {
    assertThat(deliveries).isPresent();
    return deliveries.get().stream().map(d -> d.envelope().frame()).toList();
  }

  @Test
  @DisplayName("B3: every appended envelope gets a greater position of the same epoch, minor 0")
  void positionsIncrease() {
    LocalHistory history = new LocalHistory(100, 60_000, clock);
    Position previous = null;
    for (int i = 0; i < 20; i++) {
      Delivery delivery = history.append(event(i % 2 == 0 ? "A" : "B", "e" + i));
      Position position = delivery.position();
      assertThat(delivery.envelope().frame()).isEqualTo("e" + i);
      assertThat(position.minor()).isZero();
      assertThat(Position.parse(position.toString())).isEqualTo(position);
      if (previous != null) {
        assertThat(position.epoch()).isEqualTo(previous.epoch());
        assertThat(position).isGreaterThan(previous);
      }
      previous = position;
    }
  }

  @Test
  @DisplayName("B3: each history has an epoch of its own (a restarted instance refuses older positions)")
  void epochPerHistory() {
    Position first = new LocalHistory(100, 60_000, clock).append(event("A", "a")).position();
    LocalHistory restarted = new LocalHistory(100, 60_000, clock);
    Position second = restarted.append(event("A", "b")).position();
    assertThat(second.epoch()).isNotEqualTo(first.epoch());
    assertThat(restarted.since("A", first)).isEmpty();
  }

  @Test
  @DisplayName("B3: since() returns what followed the position, oldest first, of that service only")
  void sinceIsPerService() {
    LocalHistory history = new LocalHistory(100, 60_000, clock);
    Position a1 = history.append(event("A", "a1")).position();
    Position b1 = history.append(event("B", "b1")).position();
    Position a2 = history.append(event("A", "a2")).position();
    history.append(event("A", "a3"));
    Position b2 = history.append(event("B", "b2")).position();
    history.append(event("A", "a4"));

    assertThat(frames(history.since("A", a1))).containsExactly("a2", "a3", "a4");
    assertThat(frames(history.since("A", a2))).containsExactly("a3", "a4");
    assertThat(history.since("A", a1).get()).extracting(Delivery::position).isSorted();
    assertThat(frames(history.since("B", b1))).containsExactly("b2");
    assertThat(frames(history.since("B", b2))).as("a4 came after b2, but is A's").isEmpty();
  }

  @Test
  @DisplayName("B3: a position trimmed away by count is no longer answered")
  void trimmedByCount() {
    LocalHistory history = new LocalHistory(3, 60_000, clock);
    Position p1 = history.append(event("A", "e1")).position();
    Position p2 = history.append(event("A", "e2")).position();
    Position p3 = history.append(event("A", "e3")).position();
    assertThat(frames(history.since("A", p1))).containsExactly("e2", "e3");
    history.append(event("A", "e4")); // e1 goes
    history.append(event("A", "e5")); // e2 goes

    assertThat(history.since("A", p1)).isEmpty();
    assertThat(history.since("A", p2)).isEmpty();
    assertThat(frames(history.since("A", p3))).containsExactly("e4", "e5");
  }

  @Test
  @DisplayName("B3: the count bound is per service: a busy service does not push out a quiet one's events")
  void countPerService() {
    LocalHistory history = new LocalHistory(2, 60_000, clock);
    Position quiet = history.append(event("Quiet", "q1")).position();
    history.append(event("Quiet", "q2"));
    for (int i = 0; i < 10; i++) {
      history.append(event("Busy", "b" + i));
    }
    assertThat(frames(history.since("Quiet", quiet))).containsExactly("q2");
  }

  @Test
  @DisplayName("B3: a position older than max-age is no longer answered, nor are events that aged out")
  void trimmedByAge() {
    LocalHistory history = new LocalHistory(100, 10_000, clock);
    Position p1 = history.append(event("A", "e1")).position();
    clock.advance(6_000);
    Position p2 = history.append(event("A", "e2")).position();
    history.append(event("A", "e3"));
    assertThat(frames(history.since("A", p1))).containsExactly("e2", "e3");

    clock.advance(5_000); // e1 is 11 s old, e2 and e3 5 s
    assertThat(history.since("A", p1)).isEmpty();
    assertThat(frames(history.since("A", p2))).containsExactly("e3");

    clock.advance(6_000); // all of them are older than 10 s
    assertThat(history.since("A", p2)).isEmpty();
  }

  @Test
  @DisplayName("B3: another epoch, a position never given (future) or a non-zero minor is not in this history")
  void foreignPositions() {
    LocalHistory history = new LocalHistory(100, 60_000, clock);
    Position p1 = history.append(event("A", "e1")).position();
    Position p2 = history.append(event("A", "e2")).position();

    assertThat(history.since("A", new Position("otherepoch12", p1.major(), 0))).isEmpty();
    assertThat(history.since("A", new Position(p1.epoch(), p2.major() + 1, 0))).isEmpty();
    assertThat(history.since("A", new Position(p1.epoch(), Long.MAX_VALUE, 0))).isEmpty();
    assertThat(history.since("A", new Position(p1.epoch(), p1.major(), 1))).isEmpty();
    assertThat(history.since("Unknown", p1)).isEmpty();
  }

  @Test
  @DisplayName("B3: the newest position with nothing after it: present and empty (nothing was missed)")
  void newestPosition() {
    LocalHistory history = new LocalHistory(100, 60_000, clock);
    history.append(event("A", "e1"));
    Position last = history.append(event("A", "e2")).position();
    assertThat(history.since("A", last)).hasValue(List.of());
  }
}
