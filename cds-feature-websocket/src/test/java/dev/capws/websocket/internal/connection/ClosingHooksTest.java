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

/** The application's hooks after a close: in order per connection, side by side across connections. */
class ClosingHooksTest {

  private final ClosingHooks hooks = new ClosingHooks();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    hooks.close(5_000);
  }

  private static Connection connection(String user) {
    return new Connection(TestClients.TARGETED, TestClients.user(user, "t1"), null, Limits.defaults());
  }

  @Test
  @DisplayName("E3: a connection's hooks run one after the other in the order handed over, on the hook threads; a "
      + "slow one holds up only its own connection's")
  void orderedPerConnection() throws InterruptedException {
    Connection alice = connection("alice");
    Connection bob = connection("bob");
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch bobRan = new CountDownLatch(1);
    CountDownLatch aliceDone = new CountDownLatch(1);

    hooks.run(alice, () -> {
      awaitRelease();
      ran.add("alice 1 on " + Thread.currentThread().getName().replaceAll("-\\d+$", ""));
    });
    hooks.run(alice, () -> {
      ran.add("alice 2");
      aliceDone.countDown();
    });
    hooks.run(bob, () -> {
      ran.add("bob");
      bobRan.countDown();
    });

    assertThat(bobRan.await(5, TimeUnit.SECONDS)).as("bob's hook does not wait for alice's slow one").isTrue();
    assertThat(ran).containsExactly("bob");
    release.countDown();
    assertThat(aliceDone.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("bob", "alice 1 on ws-hooks", "alice 2");
  }

  @Test
  @DisplayName("E3: a failing hook does not keep the connection's next hooks from running")
  void failingHook() throws InterruptedException {
    Connection alice = connection("alice");
    CountDownLatch next = new CountDownLatch(1);
    hooks.run(alice, () -> {
      throw new IllegalStateException("a bug in a hook");
    });
    hooks.run(alice, next::countDown);
    assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private void awaitRelease() {
    try {
      release.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
