package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.envelope;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When an emitter may go on: the fan-out queue's two bounds, by count and by the time the oldest event has waited,
 * on a clock the test moves. {@code awaitRoom} is asked with a deadline that has passed, so it answers at once
 * whether the emitter would have to wait.
 */
class DeliveryQueueTest {

  private long now = 1_000_000_000L;

  private final List<Delivery> taken = new ArrayList<>();

  private DeliveryQueue queue(int events, long delayMillis) {
    return new DeliveryQueue(new FanOutBound(events, delayMillis), () -> now);
  }

  private static List<Supplier<Delivery>> events(int count) {
    List<Supplier<Delivery>> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Delivery delivery = new Delivery(envelope(TARGETED, "t1", "e" + i, everyone(), 0), null);
      events.add(() -> delivery);
    }
    return events;
  }

  private boolean mayGoOn(DeliveryQueue queue, long number) throws InterruptedException {
    return queue.awaitRoom(number, now);
  }

  private void advanceMillis(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  @DisplayName("B2: by count: an emitter goes on once at most fan-out-queue events up to its own still wait")
  void boundByCount() throws InterruptedException {
    DeliveryQueue queue = queue(2, 0);
    assertThat(mayGoOn(queue, queue.add(events(2)))).isTrue();
    long third = queue.add(events(1));
    assertThat(mayGoOn(queue, third)).as("three wait, two may").isFalse();
    advanceMillis(60_000);
    assertThat(mayGoOn(queue, third)).as("fan-out-delay 0: time alone never holds an emitter").isFalse();

    assertThat(queue.take(taken, 1, 0)).isEqualTo(1);
    assertThat(mayGoOn(queue, third)).isTrue();
  }

  @Test
  @DisplayName("B2: by time: a burst may queue, but once the oldest waiting event has waited longer than "
      + "fan-out-delay an emitter waits until the fan-out takes its events")
  void boundByTime() throws InterruptedException {
    DeliveryQueue queue = queue(16, 20);
    long burst = queue.add(events(5));
    assertThat(mayGoOn(queue, burst)).as("five events, none waited yet: a burst, within both bounds").isTrue();

    advanceMillis(15);
    long next = queue.add(events(1));
    assertThat(mayGoOn(queue, next)).as("the oldest waited 15 ms of 20").isTrue();

    advanceMillis(10);
    long late = queue.add(events(1));
    assertThat(mayGoOn(queue, late)).as("the oldest waited 25 ms: the fan-out is behind, the emitter waits")
        .isFalse();
    assertThat(mayGoOn(queue, next)).as("as does one whose events still wait").isFalse();

    assertThat(queue.take(taken, 256, 0)).as("the fan-out takes all that waits, in order").isEqualTo(7);
    assertThat(taken).extracting(d -> d.envelope().frame())
        .containsExactly("e0", "e1", "e2", "e3", "e4", "e0", "e0");
    assertThat(mayGoOn(queue, late)).as("its events were taken").isTrue();

    advanceMillis(100);
    long after = queue.add(events(1));
    assertThat(mayGoOn(queue, after)).as("an empty queue has no old event: the next emitter goes on").isTrue();
  }

  @Test
  @DisplayName("B2: an emitter whose events were taken goes on even while later events wait too long")
  void takenEventsFreeTheirEmitter() throws InterruptedException {
    DeliveryQueue queue = queue(16, 20);
    long first = queue.add(events(1));
    assertThat(queue.take(taken, 256, 0)).isEqualTo(1);
    long second = queue.add(events(1));
    advanceMillis(30);
    assertThat(mayGoOn(queue, second)).isFalse();
    assertThat(mayGoOn(queue, first)).isTrue();
  }
}
