package dev.capws.websocket.outbound;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.handler.Handler;

import dev.capws.websocket.broker.Broadcast;
import dev.capws.websocket.format.JsonFrames;

/**
 * Registered as an {@code @After} handler of each declared event of a WebSocket service: whatever code emits the
 * event, its data is shaped by the declaration, composed into a frame once, and published when the emitting change
 * set commits, to the clients of that service in the emitting tenant.
 */
public final class EventForwarder implements Handler {

  private final String serviceName;
  private final CdsEvent event;
  private final CommitGate gate;
  private final boolean shapePayload;
  private final boolean afterCommit;

  /**
   * @param shapePayload send only the declared elements
   * @param afterCommit  wait for the commit (else: publish at once, as the Node plugin does)
   */
  public EventForwarder(String serviceName, CdsEvent event, CommitGate gate, boolean shapePayload,
      boolean afterCommit) {
    this.serviceName = serviceName;
    this.event = event;
    this.gate = gate;
    this.shapePayload = shapePayload;
    this.afterCommit = afterCommit;
  }

  @Override
  public void process(EventContext context) {
    Object data = context.get("data");
    String frame = JsonFrames.event(event.getName(), shapePayload ? PayloadShaper.shape(event, data) : data, null);
    Broadcast broadcast = new Broadcast(serviceName, context.getUserInfo().getTenant(), event.getName(), frame);
    gate.publishAfterCommit(afterCommit ? context.getChangeSetContext() : null, broadcast);
  }
}
