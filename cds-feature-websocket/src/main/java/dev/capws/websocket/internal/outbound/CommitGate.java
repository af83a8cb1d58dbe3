package dev.capws.websocket.internal.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sap.cds.services.changeset.ChangeSetContext;
import com.sap.cds.services.changeset.ChangeSetListener;

import dev.capws.websocket.internal.broker.Broker;
import dev.capws.websocket.internal.targeting.Envelope;

/**
 * Holds the envelopes emitted inside a change set until it completes: they go out in emit order when it commits,
 * and are dropped when it rolls back, so clients never see a change that did not happen. One gate serves all events,
 * so that the order of different events in one change set is kept too.
 */
public final class CommitGate {

  private final Broker broker;
  /** Envelopes of the open change sets, by change set id; one listener per change set keeps their order. */
  private final Map<Integer, List<Envelope>> pending = new ConcurrentHashMap<>();

  public CommitGate(Broker broker) {
    this.broker = broker;
  }

  /** Publishes when {@code changeSet} commits; with no change set, at once. */
  void publishAfterCommit(ChangeSetContext changeSet, Envelope envelope) {
    if (changeSet == null) {
      broker.publish(envelope);
      return;
    }
    pending.computeIfAbsent(changeSet.getId(), id -> {
      changeSet.register(new ChangeSetListener() {
        @Override
        public void afterClose(boolean completed) {
          List<Envelope> envelopes = pending.remove(id);
          if (completed && envelopes != null) {
            broker.publishAll(envelopes);
          }
        }
      });
      return new ArrayList<>();
    }).add(envelope);
  }
}
