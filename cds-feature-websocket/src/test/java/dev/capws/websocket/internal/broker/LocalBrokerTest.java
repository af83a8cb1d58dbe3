package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.STRICT;
import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.envelope;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static dev.capws.websocket.internal.targeting.TestClients.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.ScriptedOutputStream;
import dev.capws.websocket.internal.connection.TestConnections;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.Targeting;

/**
 * The fan-out of one instance, to real connections whose sockets are scripted streams: order, batching,
 * back-pressure and shutdown. Every wait is bounded and waits for a condition, never for time.
 */
class LocalBrokerTest {

  private final ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
  private final List<LocalBroker> brokers = new ArrayList<>();
  private final List<ScriptedOutputStream> streams = new ArrayList<>();

  @AfterEach
  void closeAll() {
    streams.forEach(ScriptedOutputStream::release); // never leave the fan-out held
    brokers.forEach(LocalBroker::close);
  }

  private LocalBroker broker(int capacity) {
    LocalBroker broker = new LocalBroker(registry, FanOutBound.events(capacity));
    brokers.add(broker);
    return broker;
  }

  /** A listed client whose socket has been handed over. */
  private ScriptedOutputStream client(WebSocketEndpoint endpoint, String name, String tenant) {
    Connection connection = connection(endpoint, user(name, tenant), null);
    assertThat(registry.add(connection)).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    streams.add(stream);
    return stream;
  }

  private static Envelope event(String frame, Targeting targeting) {
    return envelope(TARGETED, "t1", frame, targeting, 0);
  }

  @Test
  @DisplayName("E1 E4: envelopes reach their recipients in publish order, and nobody else")
  void publishOrder() throws InterruptedException {
    LocalBroker broker = broker(16);
    ScriptedOutputStream alice = client(TARGETED, "alice", "t1");
    ScriptedOutputStream bob = client(TARGETED, "bob", "t1");
    ScriptedOutputStream otherTenant = client(TARGETED, "alice", "t2");
    ScriptedOutputStream otherService = client(STRICT, "alice", "t1");

    for (int i = 1; i <= 20; i++) {
      broker.publish(event("all-" + i, everyone()));
      broker.publish(event("alice-" + i, users(include("alice"))));
    }
    broker.publish(event("last", everyone())); // once bob has it, he has everything he would ever get

    List<String> expectedAlice = new ArrayList<>();
    List<String> expectedBob = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      expectedAlice.add("text:all-" + i);
      expectedAlice.add("text:alice-" + i);
      expectedBob.add("text:all-" + i);
    }
    expectedAlice.add("text:last");
    expectedBob.add("text:last");
    assertThat(alice.awaitFrames(expectedAlice.size())).containsExactlyElementsOf(expectedAlice);
    assertThat(bob.awaitFrames(expectedBob.size())).containsExactlyElementsOf(expectedBob);

    // tenant and service isolation: an event to everyone of theirs marks the end of what they could have received
    broker.publish(envelope(TARGETED, "t2", "t2-only", everyone(), 0));
    broker.publish(envelope(STRICT, "t1", "strict-only", everyone(), 0));
    assertThat(otherTenant.awaitFrames(1)).containsExactly("text:t2-only");
    assertThat(otherService.awaitFrames(1)).containsExactly("text:strict-only");
  }

  @Test
  @DisplayName("E4 B2: passes to many clients are split over two threads when nothing waits; every client still gets "
      + "every event once, in publish order, whether passes were split or batched")
  void largePassesKeepOrder() throws InterruptedException {
    LocalBroker broker = broker(16);
    List<ScriptedOutputStream> clients = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      clients.add(client(TARGETED, "c" + i, "t1"));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      broker.publish(event("e" + i, everyone())); // some passes find the queue empty (split), some not (batched)
      expected.add("text:e" + i);
    }
    for (ScriptedOutputStream client : clients) {
      assertThat(client.await(events -> events.stream().filter(e -> e.startsWith("text:")).count() >= 30))
          .filteredOn(e -> e.startsWith("text:")).containsExactlyElementsOf(expected);
    }
  }

  @Test
  @DisplayName("B2: envelopes that waited go to each client together (one write batch, one flush), in commit order")
  void waitingEnvelopesGoTogether() throws InterruptedException {
    LocalBroker broker = broker(16);
    ScriptedOutputStream slow = client(TARGETED, "slow", "t1");
    ScriptedOutputStream other = client(TARGETED, "other", "t1");

    slow.holdNextWrite(); // the fan-out thread is held inside its first write
    broker.publish(event("e0", everyone()));
    assertThat(slow.awaitHeld()).as("the fan-out is writing e0 to the slow client").isTrue();
    broker.publish(event("e1", everyone()));
    broker.publish(event("e2", users(include("other"))));
    broker.publish(event("e3", everyone()));
    slow.release();

    List<String> expected = List.of("text:e0", "flush", "text:e1", "text:e2", "text:e3", "flush");
    assertThat(other.await(events -> events.size() >= expected.size())).containsExactlyElementsOf(expected);
    assertThat(slow.await(events -> events.size() >= 5))
        .containsExactly("text:e0", "flush", "text:e1", "text:e3", "flush");
  }

  @Test
  @DisplayName("B2: with the fan-out held up and its queue full, the next publisher waits until the fan-out takes "
      + "the waiting envelopes; nothing is lost or reordered")
  void backPressure() throws Exception {
    LocalBroker broker = broker(1);
    ScriptedOutputStream client = client(TARGETED, "alice", "t1");

    client.holdNextWrite();
    broker.publish(event("first", everyone()));
    assertThat(client.awaitHeld()).as("the fan-out took 'first' and is held writing it").isTrue();
    broker.publish(event("second", everyone())); // fills the queue (capacity 1)

    CountDownLatch published = new CountDownLatch(1);
    Thread publisher = new Thread(() -> {
      broker.publish(event("third", everyone()));
      published.countDown();
    }, "test-publisher");
    publisher.start();
    awaitWaiting(publisher);
    assertThat(published.getCount()).as("the third publish waits for room").isEqualTo(1);

    client.release(); // the fan-out finishes 'first' and takes 'second': room for 'third'
    assertThat(published.await(5, TimeUnit.SECONDS)).as("the third publish went through").isTrue();
    publisher.join(5_000);
    assertThat(client.awaitFrames(3)).containsExactly("text:first", "text:second", "text:third");
  }

  @Test
  @DisplayName("E2 B2: with the fan-out held up and its queue full, each change set goes in whole and in the order "
      + "the change sets came; its emitter waits once for all its events, and past that one deadline they stay queued")
  void changeSetsInCommitOrder() throws Exception {
    long deadline = 500;
    LocalBroker broker = new LocalBroker(registry, FanOutBound.events(1), deadline);
    brokers.add(broker);
    ScriptedOutputStream client = client(TARGETED, "alice", "t1");

    client.holdNextWrite();
    broker.publish(event("e0", everyone()));
    assertThat(client.awaitHeld()).as("the fan-out took 'e0' and is held writing it").isTrue();
    broker.publish(event("e1", everyone())); // fills the queue (capacity 1)

    // Change set A (three events) comes first; B (one event) once A waits: A committed first.
    long[] waitedMillis = new long[1];
    Thread a = publisher("A", () -> {
      long start = System.nanoTime();
      broker.publishAll(List.of(event("a1", everyone()), event("a2", everyone()), event("a3", everyone())));
      waitedMillis[0] = (System.nanoTime() - start) / 1_000_000;
    });
    awaitWaiting(a);
    Thread b = publisher("B", () -> broker.publishAll(List.of(event("b1", everyone()))));
    awaitWaiting(b);
    a.join(10_000);
    b.join(10_000);
    assertThat(a.isAlive() || b.isAlive()).as("both emitters gave up waiting with the fan-out still held").isFalse();
    assertThat(waitedMillis[0]).as("one deadline for the change set, not one per event").isLessThan(2 * deadline);

    client.release();
    assertThat(client.awaitFrames(6)).containsExactly("text:e0", "text:e1", "text:a1", "text:a2", "text:a3",
        "text:b1");
  }

  private static Thread publisher(String name, Runnable publishing) {
    Thread thread = new Thread(publishing, "test-publisher-" + name);
    thread.start();
    return thread;
  }

  /** Waits (bounded) until the thread is parked, waiting for room in the fan-out. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Thread.State state = thread.getState();
      if (LockSupport.getBlocker(thread) != null
          && (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING)) {
        return;
      }
      if (!thread.isAlive()) {
        break;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the publisher did not wait for room: " + thread.getState());
  }

  @Test
  @DisplayName("close() delivers what was published before; publishing afterwards drops the event without waiting")
  void close() throws InterruptedException {
    LocalBroker broker = broker(1);
    ScriptedOutputStream client = client(TARGETED, "alice", "t1");
    broker.publish(event("a", everyone()));
    broker.publish(event("b", everyone()));
    broker.publish(event("c", everyone()));
    broker.close();
    assertThat(client.frames()).as("delivered by the time close() returns")
        .containsExactly("text:a", "text:b", "text:c");

    // with capacity 1 and no fan-out left, a publish that were queued would wait 10 s for room
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (int i = 0; i < 3; i++) {
        broker.publish(event("late-" + i, everyone()));
      }
    });
    assertThat(client.frames()).containsExactly("text:a", "text:b", "text:c");
  }
}
