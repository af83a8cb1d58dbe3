package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.targeting.TestClients;

/** The upgrade handler's part in a connection's life, without a container. */
class WebSocketUpgradeTest {

  private final ClosingHooks hooks = new ClosingHooks();

  @AfterEach
  void stop() {
    hooks.close(1_000);
  }

  @Test
  @DisplayName("E3: a connection the container dropped before it started (no init) is released without its close "
      + "hook: wsDisconnect never runs for a client whose wsConnect never ran")
  void droppedBeforeStart() throws InterruptedException {
    Connection connection = new Connection(TestClients.TARGETED, TestClients.user("alice", "t1"), null,
        Limits.defaults());
    List<String> calls = new CopyOnWriteArrayList<>();
    WebSocketUpgrade upgrade = new WebSocketUpgrade();
    upgrade.bind(connection, new FrameHandler() {
      @Override
      public void opened(Connection c) {
        calls.add("opened");
      }

      @Override
      public void received(Connection c, String message) {
        calls.add("received");
      }

      @Override
      public void throttled(Connection c, String message) {
        calls.add("throttled");
      }

      @Override
      public void closed(Connection c, int code) {
        calls.add("closed " + code);
      }
    }, new OpenConnections(hooks), Limits.defaults());

    upgrade.destroy(); // as Tomcat does for a client that reset before the upgrade completed

    // Hooks of one connection run in order: once this one ran, a close hook would have too.
    CountDownLatch after = new CountDownLatch(1);
    connection.afterClose(after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(calls).isEmpty();
  }
}
