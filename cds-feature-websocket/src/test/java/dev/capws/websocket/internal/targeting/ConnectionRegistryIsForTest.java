package dev.capws.websocket.internal.targeting;

import static dev.capws.websocket.internal.targeting.TestClients.STRICT;
import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.anonymous;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.contexts;
import static dev.capws.websocket.internal.targeting.TestClients.envelope;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.exclude;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static dev.capws.websocket.internal.targeting.TestClients.users;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/** Whether one envelope is for one client: the rule recovery applies to each missed event. */
class ConnectionRegistryIsForTest {

  private final Connection alice = connection(TARGETED, user("alice", "t1", "admin"), "a-1", "room1");

  @Test
  @DisplayName("B3: only envelopes of the client's own service")
  void service() {
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", everyone(), 0), alice)).isTrue();
    assertThat(ConnectionRegistry.isFor(envelope(STRICT, "t1", "f", everyone(), 0), alice)).isFalse();
  }

  @Test
  @DisplayName("B3: only envelopes of the client's own tenant; no tenant matches no tenant only")
  void tenant() {
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t2", "f", everyone(), 0), alice)).isFalse();
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, null, "f", everyone(), 0), alice)).isFalse();

    Connection single = connection(TARGETED, user("bob", null), null);
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, null, "f", everyone(), 0), single)).isTrue();
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", everyone(), 0), single)).isFalse();
    Connection guest = connection(TARGETED, anonymous(null), null);
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, null, "f", everyone(), 0), guest)).isTrue();
  }

  @Test
  @DisplayName("B3: the excepted connection (the sender) is left out, nobody else")
  void except() {
    Connection other = connection(TARGETED, user("alice", "t1", "admin"), "a-1", "room1");
    Envelope envelope = envelope(TARGETED, "t1", "f", everyone(), alice.id());
    assertThat(ConnectionRegistry.isFor(envelope, alice)).isFalse();
    assertThat(ConnectionRegistry.isFor(envelope, other)).isTrue();
    assertThat(ConnectionRegistry.isFor(envelope.withoutExcept(), alice)).isTrue();
  }

  @Test
  @DisplayName("B3: the targeting, with the client's user, roles, contexts (as they are now) and identifier")
  void targeting() {
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", users(include("alice")), 0), alice)).isTrue();
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", users(include("bob")), 0), alice)).isFalse();
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", users(exclude("alice")), 0), alice))
        .isFalse();
    Targeting admins = new Targeting(Layer.NONE, include("admin"), Layer.NONE, Layer.NONE, Operator.OR, Operator.OR);
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", admins, 0), alice)).isTrue();
    Targeting notA1 = new Targeting(Layer.NONE, Layer.NONE, Layer.NONE, exclude("a-1"), Operator.OR, Operator.OR);
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", notA1, 0), alice)).isFalse();
    Targeting both = new Targeting(include("alice"), Layer.NONE, include("room9"), Layer.NONE, Operator.AND,
        Operator.OR);
    assertThat(ConnectionRegistry.isFor(envelope(TARGETED, "t1", "f", both, 0), alice)).isFalse();

    Envelope room2 = envelope(TARGETED, "t1", "f", contexts(include("room2")), 0);
    assertThat(ConnectionRegistry.isFor(room2, alice)).isFalse();
    alice.enter("room2");
    assertThat(ConnectionRegistry.isFor(room2, alice)).isTrue();
    alice.exit("room2");
    assertThat(ConnectionRegistry.isFor(room2, alice)).isFalse();
  }
}
