package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static dev.capws.websocket.internal.targeting.TestClients.users;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsModel;

import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.ScriptedOutputStream;
import dev.capws.websocket.internal.connection.TestConnections;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.TestClients;
import dev.capws.websocket.spi.Position;

/**
 * A client that reconnects with {@code ?since=}: which endpoints can catch up, the wsRecovery frame, the missed events
 * filtered as live delivery, and the seam with the live events that waited meanwhile.
 */
class RecoveryTest {

  private static final CdsModel MODEL = TestClients.read("/model/recovery.csn.json");
  /** {@code @ws.recovery} */
  private static final WebSocketEndpoint RECOVERING = endpoint("Recovering");
  private static final WebSocketEndpoint UNMARKED = endpoint("Unmarked");
  private static final String EPOCH = "ep0ch";
  private static final RecoverySettings ANNOTATED_ONLY = new RecoverySettings(false, 1000, 300_000);

  private static final String NOT_RECOVERED = "text:{\"event\":\"wsRecovery\",\"data\":{\"recovered\":false}}";

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) { // the held write first, then the broker
      closeables.get(i).close();
    }
  }

  private static WebSocketEndpoint endpoint(String service) {
    return new WebSocketEndpoint("/ws/" + service.toLowerCase(), MODEL.getService(service), Map.of(), Map.of(),
        Map.of(), true);
  }

  private static String recovered(int count) {
    return "text:{\"event\":\"wsRecovery\",\"data\":{\"recovered\":true,\"count\":" + count + "}}";
  }

  /** A broker whose history the test sets; it notes what it was asked. */
  private static final class FakeBroker implements Broker {
    Optional<List<Delivery>> history = Optional.empty();
    final List<String> asked = new ArrayList<>();

    @Override
    public void publish(Envelope envelope) {
      throw new UnsupportedOperationException();
    }

    // no @Override: the interface is gaining this method as these tests are written
    public void publishDurably(Envelope envelope, String id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<List<Delivery>> since(String serviceName, Position position) {
      asked.add(serviceName + "@" + position);
      return history;
    }

    @Override
    public void close() {
    }
  }

  private static Position at(long major) {
    return new Position(EPOCH, major, 0);
  }

  private static Envelope tick(WebSocketEndpoint endpoint, String tenant, int n,
      dev.capws.websocket.internal.targeting.Targeting targeting, long except) {
    return new Envelope(endpoint.serviceName(), tenant, "tick", "{\"event\":\"tick\",\"data\":{\"n\":" + n + "}}",
        targeting, except, true);
  }

  private static Delivery delivery(Envelope envelope, long major) {
    return new Delivery(envelope, at(major));
  }

  /** A live event as the fan-out hands it to a connection. */
  private static OutboundFrame live(Delivery delivery) {
    return OutboundFrame.event(delivery.frame(), delivery.position() == null ? null
        : delivery.position().toString());
  }

  private static String text(Delivery delivery) {
    return "text:" + delivery.frame();
  }

  private static Connection alice(WebSocketEndpoint endpoint) {
    return TestClients.connection(endpoint, user("alice", "t1", "admin"), "a-1");
  }

  @Test
  @DisplayName("B3: recovery applies to services with @ws.recovery, or to every service when enabled; never to routes")
  void appliesTo() {
    assertThat(ANNOTATED_ONLY.appliesTo(RECOVERING)).isTrue();
    assertThat(ANNOTATED_ONLY.appliesTo(UNMARKED)).isFalse();
    assertThat(RECOVERING.recoveryAnnotated()).isTrue();
    assertThat(UNMARKED.recoveryAnnotated()).isFalse();
    RecoverySettings everywhere = new RecoverySettings(true, 1000, 300_000);
    assertThat(everywhere.appliesTo(RECOVERING)).isTrue();
    assertThat(everywhere.appliesTo(UNMARKED)).isTrue();
    assertThat(everywhere.appliesTo(WebSocketEndpoint.route("/custom"))).isFalse();
    assertThat(RecoverySettings.defaults().enabled()).isFalse();
  }

  @Test
  @DisplayName("B3: prepare() holds live frames only with a since and an endpoint with recovery")
  void prepare() throws InterruptedException {
    Recovery recovery = new Recovery(new FakeBroker(), 100, ANNOTATED_ONLY);

    Connection without = alice(RECOVERING);
    assertThat(recovery.prepare(without, null)).isFalse();
    Connection unmarked = alice(UNMARKED);
    assertThat(recovery.prepare(unmarked, EPOCH + ":1-0")).isFalse();
    for (Connection connection : List.of(without, unmarked)) {
      ScriptedOutputStream stream = TestConnections.attach(connection);
      connection.send("live");
      assertThat(stream.frames()).as("not held").containsExactly("text:live");
    }

    Connection marked = alice(RECOVERING);
    assertThat(recovery.prepare(marked, EPOCH + ":1-0")).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(marked);
    marked.send("live");
    assertThat(stream.frames()).as("held until the replay").isEmpty();

    Recovery everywhere = new Recovery(new FakeBroker(), 100, new RecoverySettings(true, 1000, 300_000));
    assertThat(everywhere.prepare(alice(UNMARKED), EPOCH + ":1-0")).isTrue();
    assertThat(everywhere.prepare(alice(UNMARKED), null)).isFalse();
  }

  @Test
  @DisplayName("B3: a history that does not reach back: recovered false, then every held frame")
  void emptyHistory() throws InterruptedException {
    FakeBroker broker = new FakeBroker();
    Recovery recovery = new Recovery(broker, 100, ANNOTATED_ONLY);
    Connection connection = alice(RECOVERING);
    assertThat(recovery.prepare(connection, EPOCH + ":3-0")).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    Delivery old = delivery(tick(RECOVERING, "t1", 2, everyone(), 0), 2);
    Delivery next = delivery(tick(RECOVERING, "t1", 4, everyone(), 0), 4);
    connection.send(live(old));
    connection.send("reply");
    connection.send(live(next));

    recovery.replay(connection, EPOCH + ":3-0");
    assertThat(broker.asked).containsExactly(RECOVERING.serviceName() + "@" + EPOCH + ":3-0");
    assertThat(stream.awaitFrames(4)).containsExactly(NOT_RECOVERED, text(old), "text:reply", text(next));
    connection.send("after");
    assertThat(stream.frames()).endsWith("text:after");
  }

  @Test
  @DisplayName("B3: missed events: recovered true with their count, exactly those for this connection, then the held "
      + "frames after the seam (and those without a position)")
  void missedEvents() throws InterruptedException {
    FakeBroker broker = new FakeBroker();
    Recovery recovery = new Recovery(broker, 100, ANNOTATED_ONLY);
    Connection connection = alice(RECOVERING);
    Delivery mine1 = delivery(tick(RECOVERING, "t1", 11, everyone(), 0), 11);
    Delivery bobs = delivery(tick(RECOVERING, "t1", 12, users(include("bob")), 0), 12);
    Delivery mine2 = delivery(tick(RECOVERING, "t1", 13, users(include("alice")), 0), 13);
    Delivery otherTenant = delivery(tick(RECOVERING, "t2", 14, everyone(), 0), 14);
    Delivery excepted = delivery(tick(RECOVERING, "t1", 15, everyone(), connection.id()), 15);
    Delivery mine3 = delivery(tick(RECOVERING, "t1", 16, everyone(), 0), 16);
    Delivery unmarkedService = delivery(tick(UNMARKED, "t1", 17, everyone(), 0), 17);
    broker.history = Optional.of(List.of(mine1, bobs, mine2, otherTenant, excepted, mine3, unmarkedService));

    assertThat(recovery.prepare(connection, EPOCH + ":10-0")).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(connection);
    // live frames that arrived while the history was read: some of them the history has already
    Delivery seam = delivery(tick(RECOVERING, "t1", 17, everyone(), 0), 17);
    Delivery new18 = delivery(tick(RECOVERING, "t1", 18, everyone(), 0), 18);
    Delivery otherEpoch = new Delivery(tick(RECOVERING, "t1", 1, everyone(), 0), new Position("newer", 1, 0));
    connection.send(live(mine2));
    connection.send(live(mine3));
    connection.send("reply without position");
    connection.send(List.of(live(seam), live(new18)));
    connection.send(live(otherEpoch));

    recovery.replay(connection, EPOCH + ":10-0");
    assertThat(broker.asked).containsExactly(RECOVERING.serviceName() + "@" + EPOCH + ":10-0");
    List<String> expected = List.of(recovered(3), text(mine1), text(mine2), text(mine3),
        "text:reply without position", text(new18), text(otherEpoch));
    assertThat(stream.awaitFrames(expected.size())).containsExactlyElementsOf(expected);
    assertThat(text(mine1)).endsWith(",\"seq\":\"" + EPOCH + ":11-0\"}");

    connection.send(live(delivery(tick(RECOVERING, "t1", 5, everyone(), 0), 5)));
    assertThat(stream.frames()).as("once released, frames are no longer filtered").hasSize(expected.size() + 1);
  }

  @Test
  @DisplayName("B3: a history that reaches back with nothing missed: recovered true, count 0, held frames follow")
  void nothingMissed() throws InterruptedException {
    FakeBroker broker = new FakeBroker();
    broker.history = Optional.of(List.of());
    Recovery recovery = new Recovery(broker, 100, ANNOTATED_ONLY);
    Connection connection = alice(RECOVERING);
    recovery.prepare(connection, EPOCH + ":10-0");
    ScriptedOutputStream stream = TestConnections.attach(connection);
    Delivery at10 = delivery(tick(RECOVERING, "t1", 10, everyone(), 0), 10);
    Delivery at11 = delivery(tick(RECOVERING, "t1", 11, everyone(), 0), 11);
    connection.send(live(at10));
    connection.send(live(at11));
    recovery.replay(connection, EPOCH + ":10-0");
    assertThat(stream.awaitFrames(2)).containsExactly(recovered(0), text(at11));
  }

  @Test
  @DisplayName("B3: more missed events for this client than max-events: recovered false, live frames follow")
  void tooMany() throws InterruptedException {
    List<Delivery> many = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      many.add(delivery(tick(RECOVERING, "t1", i, i % 2 == 0 ? users(include("bob")) : everyone(), 0), i));
    }
    FakeBroker broker = new FakeBroker();
    broker.history = Optional.of(many);

    // three of the six are for alice: max-events 3 replays them
    Connection fits = alice(RECOVERING);
    Recovery three = new Recovery(broker, 3, ANNOTATED_ONLY);
    three.prepare(fits, EPOCH + ":0-0");
    ScriptedOutputStream fitting = TestConnections.attach(fits);
    three.replay(fits, EPOCH + ":0-0");
    assertThat(fitting.awaitFrames(4)).containsExactly(recovered(3), text(many.get(0)), text(many.get(2)),
        text(many.get(4)));

    // max-events 2: alice reloads
    Connection overflows = alice(RECOVERING);
    Recovery two = new Recovery(broker, 2, ANNOTATED_ONLY);
    two.prepare(overflows, EPOCH + ":0-0");
    ScriptedOutputStream overflowing = TestConnections.attach(overflows);
    Delivery held = many.get(5);
    overflows.send(live(many.get(4))); // with recovered false nothing is dropped at a seam
    overflows.send(live(held));
    two.replay(overflows, EPOCH + ":0-0");
    assertThat(overflowing.awaitFrames(3)).containsExactly(NOT_RECOVERED, text(many.get(4)), text(held));
  }

  @Test
  @DisplayName("B3: a malformed since: recovered false, the broker is not asked")
  void malformedSince() throws InterruptedException {
    FakeBroker broker = new FakeBroker();
    broker.history = Optional.of(List.of());
    Recovery recovery = new Recovery(broker, 100, ANNOTATED_ONLY);
    for (String since : List.of("", "garbage", EPOCH + ":1", EPOCH + ":99999999999999999999-0")) {
      Connection connection = alice(RECOVERING);
      assertThat(recovery.prepare(connection, since)).isTrue();
      ScriptedOutputStream stream = TestConnections.attach(connection);
      connection.send("live");
      recovery.replay(connection, since);
      assertThat(stream.awaitFrames(2)).as(since).containsExactly(NOT_RECOVERED, "text:live");
    }
    assertThat(broker.asked).isEmpty();
  }

  /**
   * With the local broker: an event is in the history as soon as it is published, but reaches the clients only when
   * the fan-out gets to it. A client that catches up while the fan-out is behind gets that event from the history,
   * and then once more live, after its live frames were released.
   */
  @Test
  @DisplayName("B3: no duplicate at the seam while the fan-out is behind (local broker)")
  void noDuplicateWhileFanOutIsBehind() throws InterruptedException {
    ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
    LocalBroker broker = LocalBroker.withHistory(registry, FanOutBound.events(16), 1000, 300_000);
    closeables.add(broker);
    Recovery recovery = new Recovery(broker, 100, ANNOTATED_ONLY);

    Connection slow = TestClients.connection(RECOVERING, user("slow", "t1"), null);
    assertThat(registry.add(slow)).isTrue();
    ScriptedOutputStream slowStream = TestConnections.attach(slow);
    closeables.add(slowStream::release);

    slowStream.holdNextWrite();
    broker.publish(tick(RECOVERING, "t1", 0, everyone(), 0));
    assertThat(slowStream.awaitHeld()).as("the fan-out is held writing e0").isTrue();
    broker.publish(tick(RECOVERING, "t1", 1, everyone(), 0)); // in the history, waiting for the fan-out
    String since = positionOfFirst(slowStream); // the client had e0

    Connection client = alice(RECOVERING);
    assertThat(recovery.prepare(client, since)).isTrue();
    assertThat(registry.add(client)).isTrue();
    ScriptedOutputStream stream = TestConnections.attach(client);
    recovery.replay(client, since);
    slowStream.release(); // the fan-out catches up
    broker.publish(tick(RECOVERING, "t1", 2, everyone(), 0));

    List<String> frames = stream.await(events -> events.stream().anyMatch(e -> e.contains("\"n\":2")));
    List<String> ticks = frames.stream().filter(f -> f.contains("\"event\":\"tick\"")).toList();
    assertThat(frames.get(0)).isEqualTo(recovered(1));
    assertThat(ticks).hasSize(2);
    assertThat(ticks.get(0)).contains("\"n\":1");
    assertThat(ticks.get(1)).contains("\"n\":2");
  }

  /** The seq of the first frame the stream got (written, held in its write). */
  private static String positionOfFirst(ScriptedOutputStream stream) {
    String first = stream.frames().get(0);
    int at = first.indexOf("\"seq\":\"") + 7;
    return first.substring(at, first.indexOf('"', at));
  }
}
