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

  public EventForwarder(String serviceName, CdsEvent event, CommitGate gate) {
    this.serviceName = serviceName;
    this.event = event;
    this.gate = gate;
  }

  @Override
  public void process(EventContext context) {
    Object data = PayloadShaper.shape(event, context.get("data"));
    String frame = JsonFrames.event(event.getName(), data, null);
    Broadcast broadcast = new Broadcast(serviceName, context.getUserInfo().getTenant(), event.getName(), frame);
    gate.publishAfterCommit(context.getChangeSetContext(), broadcast);
  }
}
