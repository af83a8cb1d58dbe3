package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.connection.HeldMessages.Offer;

/** Read-side back-pressure: what waits while a client's socket is full, and in which order it runs after. */
class HeldMessagesTest {

  private final HeldMessages held = new HeldMessages();
  private final AtomicBoolean full = new AtomicBoolean();
  private final List<String> ran = new ArrayList<>();

  private void release() {
    held.release(full::get, ran::add);
  }

  @Test
  @DisplayName("Limits: with nothing waiting and the socket taking writes a message runs at once")
  void runsAtOnce() {
    assertThat(held.offer("a", false)).isEqualTo(Offer.RUN);
    assertThat(held.waiting()).isZero();
  }

  @Test
  @DisplayName("Limits: while the socket is full messages wait, and those after them wait behind them; released, "
      + "they run in order")
  void waitsThenRunsInOrder() {
    full.set(true);
    assertThat(held.offer("a", true)).isEqualTo(Offer.HELD);
    assertThat(held.offer("b", true)).isEqualTo(Offer.HELD);
    release();
    assertThat(ran).as("still full").isEmpty();
    full.set(false);
    assertThat(held.offer("c", false)).as("behind those waiting").isEqualTo(Offer.HELD);
    release();
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(held.offer("d", false)).isEqualTo(Offer.RUN);
  }

  @Test
  @DisplayName("Limits: a message whose reply fills the socket again stops the release; the rest wait for the next")
  void stopsWhenFullAgain() {
    for (String m : List.of("a", "b", "c")) {
      held.offer(m, true);
    }
    held.release(full::get, m -> {
      ran.add(m);
      full.set(true); // its reply filled the socket
    });
    assertThat(ran).containsExactly("a");
    assertThat(held.waiting()).isEqualTo(2);
    full.set(false);
    release();
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  @DisplayName("Limits: a message that comes while the held ones run waits behind them")
  void arrivesDuringRelease() {
    held.offer("a", true);
    held.offer("b", true);
    held.release(full::get, m -> {
      ran.add(m);
      if (m.equals("a")) {
        assertThat(held.offer("late", false)).isEqualTo(Offer.HELD);
        release(); // another thread's release: this one is at it already
      }
    });
    assertThat(ran).containsExactly("a", "b", "late");
  }

  @Test
  @DisplayName("Limits: more than 64 KiB waiting is refused (the client is closed); what waits stays as it was")
  void bounded() {
    String quarter = "x".repeat(HeldMessages.MAX_CHARS / 4);
    for (int i = 0; i < 4; i++) {
      assertThat(held.offer(quarter, true)).isEqualTo(Offer.HELD);
    }
    assertThat(held.offer("y", true)).isEqualTo(Offer.FULL);
    assertThat(held.waiting()).isEqualTo(4);
    held.clear();
    assertThat(held.waiting()).isZero();
    assertThat(held.offer("z", false)).isEqualTo(Offer.RUN);
  }
}
