package dev.capws.websocket.internal.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.changeset.ChangeSetContext;
import com.sap.cds.services.runtime.CdsRuntime;
import com.sap.cds.services.runtime.CdsRuntimeConfigurer;

import dev.capws.websocket.internal.broker.Broker;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.TestClients;

/** Events emitted in a change set go out when it commits, in emit order, and never when it rolls back (E2). */
class CommitGateTest {

  private static CdsRuntime runtime;
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final CommitGate gate = new CommitGate(recordingBroker(published));

  @BeforeAll
  static void runtime() {
    runtime = CdsRuntimeConfigurer.create().complete();
  }

  /** A broker that records the frames of what is published (a proxy, so that it needs none of its other methods). */
  private static Broker recordingBroker(List<String> published) {
    return (Broker) Proxy.newProxyInstance(CommitGateTest.class.getClassLoader(), new Class<?>[] { Broker.class },
        (proxy, method, args) -> {
          if (method.getName().equals("publish")) {
            published.add(((Envelope) args[0]).frame());
            return null;
          }
          if (method.getName().equals("publishAll")) {
            ((List<?>) args[0]).forEach(envelope -> published.add(((Envelope) envelope).frame()));
            return null;
          }
          return method.getReturnType() == Optional.class ? Optional.empty() : null;
        });
  }

  /** An envelope whose frame is this text. */
  private static Envelope envelope(String frame) {
    return TestClients.envelope(TestClients.TARGETED, "t1", frame, TestClients.everyone(), 0);
  }

  @Test
  @DisplayName("E2: envelopes emitted in a change set are held until it commits, then published in emit order")
  void heldUntilCommit() {
    runtime.changeSetContext().run(changeSet -> {
      gate.publishAfterCommit(changeSet, envelope("first"));
      gate.publishAfterCommit(changeSet, envelope("second"));
      gate.publishAfterCommit(changeSet, envelope("third"));
      assertThat(published).as("nothing before the commit").isEmpty();
    });
    assertThat(published).containsExactly("first", "second", "third");
  }

  @Test
  @DisplayName("E2: a change set marked for cancel (rolled back) publishes nothing")
  void droppedOnRollback() {
    runtime.changeSetContext().run(changeSet -> {
      gate.publishAfterCommit(changeSet, envelope("rolled-back"));
      changeSet.markForCancel();
    });
    assertThat(published).isEmpty();

    runtime.changeSetContext().run(changeSet -> {
      gate.publishAfterCommit(changeSet, envelope("committed"));
    });
    assertThat(published).as("a later change set is not affected").containsExactly("committed");
  }

  @Test
  @DisplayName("E2: a change set that fails with an exception publishes nothing")
  void droppedOnException() {
    Consumer<ChangeSetContext> failing = changeSet -> {
      gate.publishAfterCommit(changeSet, envelope("failed"));
      throw new IllegalStateException("handler failed");
    };
    assertThatThrownBy(() -> runtime.changeSetContext().run(failing)).hasMessageContaining("handler failed");
    assertThat(published).isEmpty();
  }

  @Test
  @DisplayName("E2: without a change set an envelope is published at once")
  void withoutChangeSet() {
    gate.publishAfterCommit(null, envelope("now"));
    assertThat(published).containsExactly("now");
  }

  @Test
  @DisplayName("E2: change sets are independent: a nested one commits its own events first, the outer keeps its own")
  void nestedChangeSets() {
    runtime.changeSetContext().run(outer -> {
      gate.publishAfterCommit(outer, envelope("outer-1"));
      runtime.changeSetContext().run(inner -> {
        gate.publishAfterCommit(inner, envelope("inner"));
      });
      assertThat(published).containsExactly("inner");
      runtime.changeSetContext().run(inner -> {
        gate.publishAfterCommit(inner, envelope("inner-cancelled"));
        inner.markForCancel();
      });
      gate.publishAfterCommit(outer, envelope("outer-2"));
    });
    assertThat(published).containsExactly("inner", "outer-1", "outer-2");
  }
}
