package dev.capws.websocket.internal.targeting;

import static dev.capws.websocket.internal.targeting.TestClients.STRICT;
import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.anonymous;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.contexts;
import static dev.capws.websocket.internal.targeting.TestClients.envelope;
import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.limits;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static dev.capws.websocket.internal.targeting.TestClients.users;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;

/** Admission, the recipient index and its upkeep. */
class ConnectionRegistryTest {

  private final ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());

  private static List<Connection> list(Iterable<Connection> recipients) {
    List<Connection> result = new ArrayList<>();
    recipients.forEach(result::add);
    return result;
  }

  private List<Connection> recipients(Envelope envelope) {
    return list(registry.recipients(envelope));
  }

  @Test
  @DisplayName("Admission: beyond max-connections a connection is refused; one that leaves frees its place")
  void maxConnections() {
    ConnectionRegistry limited = new ConnectionRegistry(limits(2, 100));
    Connection first = connection(TARGETED, user("u1", "t1"), null);
    assertThat(limited.add(first)).isTrue();
    assertThat(limited.add(connection(TARGETED, user("u2", "t1"), null))).isTrue();
    Connection third = connection(TARGETED, user("u3", "t2"), null);
    assertThat(limited.add(third)).isFalse();
    assertThat(limited.size()).isEqualTo(2);
    assertThat(limited.recipients(envelope(TARGETED, "t2", "x", everyone(), 0))).isEmpty();

    assertThat(first.leave()).isTrue();
    assertThat(limited.size()).isEqualTo(1);
    assertThat(limited.add(third)).isTrue();
    assertThat(limited.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("Admission: an authenticated user gets max-connections-per-user, per tenant; the refusal costs nothing")
  void maxConnectionsPerUser() {
    ConnectionRegistry limited = new ConnectionRegistry(limits(100, 2));
    Connection first = connection(TARGETED, user("alice", "t1"), null);
    assertThat(limited.add(first)).isTrue();
    assertThat(limited.add(connection(STRICT, user("alice", "t1"), null))).as("counted across services").isTrue();
    assertThat(limited.add(connection(TARGETED, user("alice", "t1"), null))).isFalse();
    assertThat(limited.size()).as("a refused connection is not counted").isEqualTo(2);

    assertThat(limited.add(connection(TARGETED, user("alice", "t2"), null))).as("another tenant's alice").isTrue();
    assertThat(limited.add(connection(TARGETED, user("bob", "t1"), null))).isTrue();

    first.leave();
    assertThat(limited.add(connection(TARGETED, user("alice", "t1"), null))).as("a left connection frees its count")
        .isTrue();
    assertThat(limited.add(connection(TARGETED, user("alice", "t1"), null))).isFalse();
  }

  @Test
  @DisplayName("Admission: anonymous users share a name but are not counted per user")
  void anonymousNotCountedPerUser() {
    ConnectionRegistry limited = new ConnectionRegistry(limits(100, 1));
    for (int i = 0; i < 5; i++) {
      assertThat(limited.add(connection(TARGETED, anonymous("t1"), null))).isTrue();
    }
    assertThat(limited.size()).isEqualTo(5);
    ConnectionRegistry full = new ConnectionRegistry(limits(3, 1));
    for (int i = 0; i < 3; i++) {
      full.add(connection(TARGETED, anonymous("t1"), null));
    }
    assertThat(full.add(connection(TARGETED, anonymous("t1"), null))).as("but by max-connections").isFalse();
  }

  @Test
  @DisplayName("E4: recipients are the clients of the envelope's service that its targeting selects")
  void recipientsByTargeting() {
    Connection alice = connection(TARGETED, user("alice", "t1"), null);
    Connection bob = connection(TARGETED, user("bob", "t1"), null);
    Connection aliceElsewhere = connection(STRICT, user("alice", "t1"), null);
    List.of(alice, bob, aliceElsewhere).forEach(registry::add);

    assertThat(recipients(envelope(TARGETED, "t1", "x", users(include("alice")), 0))).containsExactly(alice);
    assertThat(recipients(envelope(TARGETED, "t1", "x", everyone(), 0))).containsExactlyInAnyOrder(alice, bob);
    assertThat(recipients(envelope(STRICT, "t1", "x", everyone(), 0))).containsExactly(aliceElsewhere);
    assertThat(registry.connections(TARGETED.serviceName(), "t1")).containsExactlyInAnyOrder(alice, bob);
  }

  @Test
  @DisplayName("E8: 'except' leaves out the sender, with or without targeting")
  void except() {
    Connection sender = connection(TARGETED, user("alice", "t1"), "tab-1");
    Connection otherTab = connection(TARGETED, user("alice", "t1"), "tab-2");
    Connection bob = connection(TARGETED, user("bob", "t1"), null);
    List.of(sender, otherTab, bob).forEach(registry::add);

    assertThat(recipients(envelope(TARGETED, "t1", "x", everyone(), sender.id())))
        .containsExactlyInAnyOrder(otherTab, bob);
    assertThat(recipients(envelope(TARGETED, "t1", "x", users(include("alice")), sender.id())))
        .containsExactly(otherTab);
  }

  @Test
  @DisplayName("A2: tenants are isolated; clients without a tenant only receive events without one")
  void tenantsIsolated() {
    Connection t1 = connection(TARGETED, user("alice", "t1"), null);
    Connection t2 = connection(TARGETED, user("alice", "t2"), null);
    Connection none = connection(TARGETED, user("alice", null), null);
    List.of(t1, t2, none).forEach(registry::add);

    assertThat(recipients(envelope(TARGETED, "t1", "x", everyone(), 0))).containsExactly(t1);
    assertThat(recipients(envelope(TARGETED, "t2", "x", users(include("alice")), 0))).containsExactly(t2);
    assertThat(recipients(envelope(TARGETED, null, "x", everyone(), 0))).containsExactly(none);
    assertThat(recipients(envelope(TARGETED, "t3", "x", everyone(), 0))).isEmpty();
    assertThat(registry.connections(TARGETED.serviceName(), "t3")).isEmpty();
  }

  @Test
  @DisplayName("A connection that leaves is no longer a recipient nor counted, and leaves only once")
  void leave() {
    Connection alice = connection(TARGETED, user("alice", "t1", "admin"), "a", "room");
    Connection bob = connection(TARGETED, user("bob", "t1"), null);
    registry.add(alice);
    registry.add(bob);
    assertThat(registry.size()).isEqualTo(2);

    assertThat(alice.leave()).isTrue();
    assertThat(alice.leave()).isFalse();
    assertThat(registry.size()).isEqualTo(1);
    assertThat(recipients(envelope(TARGETED, "t1", "x", everyone(), 0))).containsExactly(bob);
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("room")), 0))).isEmpty();
    assertThat(recipients(envelope(TARGETED, "t1", "x", users(include("alice")), 0))).isEmpty();

    alice.enter("later"); // entering after leaving does not list it again
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("later")), 0))).isEmpty();
  }

  @Test
  @DisplayName("E5: contexts entered, exited and reset after listing are reflected in the recipients")
  void contextsAfterListing() {
    Connection alice = connection(TARGETED, user("alice", "t1"), null, "before");
    Connection bob = connection(TARGETED, user("bob", "t1"), null);
    registry.add(alice);
    registry.add(bob);
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("before")), 0))).containsExactly(alice);

    bob.enter("room");
    alice.enter("room");
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("room")), 0)))
        .containsExactlyInAnyOrder(alice, bob);

    bob.exit("room");
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("room")), 0))).containsExactly(alice);

    alice.reset();
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("room")), 0))).isEmpty();
    assertThat(recipients(envelope(TARGETED, "t1", "x", contexts(include("before")), 0))).isEmpty();
  }
}
