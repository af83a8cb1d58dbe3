package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.targeting.TestClients;

/**
 * A client catching up: live frames wait while the missed ones are read, then leave behind them, once each, with
 * those the missed ones already contain left out.
 */
class ConnectionHoldLiveTest {

  /** Room for every frame of the concurrency tests (the default limit would close the client with 1013). */
  private static final Limits ROOMY;

  static {
    Limits d = Limits.defaults();
    ROOMY = new Limits(List.of(), d.maxConnections(), d.maxConnectionsPerUser(), d.maxMessagesPerSecond(),
        d.maxContexts(), d.heartbeatMillis(), d.maxMessageSize(), d.sendTimeoutMillis(), 1_000_000,
        1L << 40, d.messageTimeoutMillis());
  }

  private static Connection connection() {
    return new Connection(TestClients.TARGETED, TestClients.user("alice", "t1"), null, ROOMY);
  }

  private static OutboundFrame event(String text, String position) {
    return OutboundFrame.event(text, position);
  }

  @Test
  @DisplayName("B3: frames sent while held wait; release sends the first frames, then the kept held ones, in order")
  void holdThenRelease() throws InterruptedException {
    Connection connection = connection();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    connection.send("before"); // not held yet: straight out
    assertThat(stream.frames()).containsExactly("text:before");

    connection.holdLive();
    connection.send(event("h1", "e:1-0"));
    connection.send("reply"); // no position
    connection.send(List.of(event("h2", "e:2-0"), event("h3", "e:3-0")));
    connection.send(event("h4", "e:4-0"));
    assertThat(stream.frames()).as("held frames wait").containsExactly("text:before");

    List<OutboundFrame> seen = new ArrayList<>();
    connection.releaseLive(List.of(OutboundFrame.text("status"), event("m1", "e:1-0"), event("m2", "e:2-0")),
        frame -> {
          seen.add(frame);
          return frame.position() == null || !frame.position().equals("e:1-0") && !frame.position().equals("e:2-0");
        });
    assertThat(seen).as("the predicate sees every held frame, in order").hasSize(5);
    assertThat(stream.awaitFrames(7)).containsExactly("text:before", "text:status", "text:m1", "text:m2",
        "text:reply", "text:h3", "text:h4");

    connection.send(event("after", "e:5-0"));
    assertThat(stream.frames()).as("after release: straight out").endsWith("text:after").hasSize(8);
  }

  @Test
  @DisplayName("B3: frames held before the socket is handed over leave with the released ones, in order")
  void heldBeforeAttach() throws InterruptedException {
    Connection connection = connection();
    connection.holdLive();
    connection.send(event("h1", "e:1-0"));
    connection.releaseLive(List.of(OutboundFrame.text("first")), frame -> true);
    connection.send("later");
    ScriptedOutputStream stream = TestConnections.attach(connection);
    assertThat(stream.awaitFrames(3)).containsExactly("text:first", "text:h1", "text:later");
  }

  @Test
  @DisplayName("B3: a predicate that keeps nothing drops every held frame; nothing else is lost")
  void keepNothing() throws InterruptedException {
    Connection connection = connection();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    connection.holdLive();
    connection.send(event("dup1", "e:1-0"));
    connection.send(event("dup2", "e:2-0"));
    connection.releaseLive(List.of(), frame -> false);
    connection.send("next");
    assertThat(stream.awaitFrames(1)).containsExactly("text:next");
  }

  /**
   * Senders keep sending while another thread releases. Which frames were held is what the predicate saw; a sender
   * notes the frames it sent after release returned.
   */
  @RepeatedTest(20)
  @DisplayName("B3: concurrent senders and a release: every frame exactly once, per-sender order kept, held frames "
      + "right after the first ones, frames sent after the release returned after all of them")
  void concurrentRelease() throws Exception {
    Connection connection = connection();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    connection.holdLive();

    int senders = 4;
    int each = 300;
    CountDownLatch someSent = new CountDownLatch(senders * 20);
    CountDownLatch go = new CountDownLatch(1);
    Set<String> sentAfterRelease = ConcurrentHashMap.newKeySet();
    boolean[] released = { false };
    Object flag = new Object();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      int sender = t;
      Thread thread = new Thread(() -> {
        try {
          go.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          boolean after;
          synchronized (flag) {
            after = released[0];
          }
          String text = "s" + sender + "-" + i;
          if (i % 7 == 0) {
            connection.send(List.of(event(text, null)));
          } else {
            connection.send(event(text, null));
          }
          if (after) {
            sentAfterRelease.add("text:" + text);
          }
          someSent.countDown();
        }
      }, "test-sender-" + t);
      threads.add(thread);
      thread.start();
    }
    List<String> held = Collections.synchronizedList(new ArrayList<>());
    go.countDown();
    assertThat(someSent.await(5, TimeUnit.SECONDS)).isTrue();
    connection.releaseLive(List.of(OutboundFrame.text("R1"), OutboundFrame.text("R2")), frame -> {
      held.add("text:" + new String(frame.wire(), 2, frame.wire().length - 2,
          java.nio.charset.StandardCharsets.UTF_8));
      return true;
    });
    synchronized (flag) {
      released[0] = true;
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }

    List<String> frames = stream.awaitFrames(2 + senders * each);
    assertThat(frames).hasSize(2 + senders * each);
    assertThat(new HashSet<>(frames)).as("every frame exactly once").hasSize(frames.size());
    assertThat(held).as("what waited: at least what was sent before the release").hasSizeGreaterThanOrEqualTo(
        senders * 20);
    List<String> expectedStart = new ArrayList<>(List.of("text:R1", "text:R2"));
    expectedStart.addAll(held);
    assertThat(frames.subList(0, expectedStart.size())).as("first the released frames, then the held ones")
        .containsExactlyElementsOf(expectedStart);
    for (String late : sentAfterRelease) {
      assertThat(frames.indexOf(late)).as(late).isGreaterThanOrEqualTo(expectedStart.size());
    }
    for (int t = 0; t < senders; t++) {
      String prefix = "text:s" + t + "-";
      List<String> own = frames.stream().filter(f -> f.startsWith(prefix)).toList();
      for (int i = 0; i < each; i++) {
        assertThat(own.get(i)).isEqualTo(prefix + i);
      }
    }
  }
}
