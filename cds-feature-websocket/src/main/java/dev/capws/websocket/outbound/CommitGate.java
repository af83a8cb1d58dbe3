package dev.capws.websocket.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sap.cds.services.changeset.ChangeSetContext;
import com.sap.cds.services.changeset.ChangeSetListener;

import dev.capws.websocket.broker.Broadcast;
import dev.capws.websocket.broker.Broker;

/**
 * Holds the broadcasts emitted inside a change set until it completes: they go out in emit order when it commits,
 * and are dropped when it rolls back, so clients never see a change that did not happen. One gate serves all events,
 * so that the order of different events in one change set is kept too.
 */
public final class CommitGate {

  private final Broker broker;
  /** Broadcasts of the open change sets, by change set id; one listener per change set keeps their order. */
  private final Map<Integer, List<Broadcast>> pending = new ConcurrentHashMap<>();

  public CommitGate(Broker broker) {
    this.broker = broker;
  }

  /** Publishes when {@code changeSet} commits; with no change set, at once. */
  void publishAfterCommit(ChangeSetContext changeSet, Broadcast broadcast) {
    if (changeSet == null) {
      broker.publish(broadcast);
      return;
    }
    pending.computeIfAbsent(changeSet.getId(), id -> {
      changeSet.register(new ChangeSetListener() {
        @Override
        public void afterClose(boolean completed) {
          List<Broadcast> broadcasts = pending.remove(id);
          if (completed && broadcasts != null) {
            broadcasts.forEach(broker::publish);
          }
        }
      });
      return new ArrayList<>();
    }).add(broadcast);
  }
}
