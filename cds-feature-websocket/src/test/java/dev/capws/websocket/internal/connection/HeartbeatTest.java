package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.targeting.TestClients;

/** The heartbeat's round, slice by slice, on connections with scripted sockets (no timer). */
class HeartbeatTest {

  private static final int CLIENTS = 1000;

  @Test
  @DisplayName("Heartbeat: a round is cut into slices of 100 ms, at least one")
  void slices() {
    assertThat(Heartbeat.slices(30_000)).isEqualTo(300);
    assertThat(Heartbeat.slices(1_000)).isEqualTo(10);
    assertThat(Heartbeat.slices(150)).isEqualTo(1);
    assertThat(Heartbeat.slices(0)).isEqualTo(1);
    assertThat(Heartbeat.slices(120_000)).as("at most the buckets").isEqualTo(OpenConnections.BUCKETS);
  }

  @Test
  @DisplayName("Heartbeat: however many slices, each open connection is in exactly one of them, and a closed one in "
      + "none")
  void everyConnectionInOneSlice() {
    OpenConnections open = new OpenConnections(new ClosingHooks());
    List<Connection> connections = openClients(open);
    open.remove(connections.get(0));
    for (int slices : new int[] { 1, 7, 10, 300 }) {
      List<Connection> seen = new ArrayList<>();
      for (int slice = 0; slice < slices; slice++) {
        seen.addAll(open.slice(slice, slices));
      }
      assertThat(seen).as("%d slices", slices).hasSize(CLIENTS - 1).doesNotHaveDuplicates()
          .doesNotContain(connections.get(0));
    }
  }

  @Test
  @DisplayName("Heartbeat: every connection is pinged once per round, the pings spread evenly over its slices; in "
      + "the next round those that answered are pinged again and those that did not are closed")
  void roundSpreadsPings() {
    OpenConnections registry = new OpenConnections(new ClosingHooks());
    List<Connection> open = openClients(registry);
    List<ScriptedOutputStream> sockets = open.stream().map(TestConnections::attach).toList();
    int slices = Heartbeat.slices(30_000);

    int most = 0;
    int total = 0;
    for (int slice = 0; slice < slices; slice++) {
      int checked = Heartbeat.beat(registry.slice(slice, slices), 30_000, true);
      most = Math.max(most, checked);
      total += checked;
    }
    assertThat(total).isEqualTo(CLIENTS);
    assertThat(most).as("at most a slice's share at once, not all").isLessThanOrEqualTo(CLIENTS / slices + 1);
    for (ScriptedOutputStream socket : sockets) {
      assertThat(socket.frames()).containsExactly("ping");
    }

    for (int i = 0; i < CLIENTS; i += 2) {
      open.get(i).alive(); // the even ones answer
    }
    for (int slice = 0; slice < slices; slice++) {
      Heartbeat.beat(registry.slice(slice, slices), 30_000, true);
    }
    for (int i = 0; i < CLIENTS; i++) {
      if (i % 2 == 0) {
        assertThat(sockets.get(i).frames()).as("answered").containsExactly("ping", "ping");
        assertThat(TestConnections.closeState(open.get(i))).isEqualTo(CloseHandshake.State.OPEN);
      } else {
        assertThat(sockets.get(i).frames()).as("silent").hasSize(2).first().isEqualTo("ping");
        assertThat(sockets.get(i).frames().get(1)).startsWith("close:1001:");
        assertThat(TestConnections.closeState(open.get(i))).isNotEqualTo(CloseHandshake.State.OPEN);
      }
    }
  }

  /** CLIENTS connections, each listed as open. */
  private static List<Connection> openClients(OpenConnections registry) {
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Connection connection = new Connection(TestClients.TARGETED, TestClients.user("u" + i, "t1"), null,
          Limits.defaults());
      connections.add(connection);
      registry.add(connection);
    }
    return connections;
  }
}
