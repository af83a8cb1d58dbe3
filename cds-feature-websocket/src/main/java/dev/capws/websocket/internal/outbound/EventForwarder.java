package dev.capws.websocket.internal.outbound;

import java.util.Map;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.handler.Handler;

import dev.capws.websocket.api.EmitHeaders;

/**
 * Registered as an {@code @After} handler of each declared event served over WebSocket: whatever code emits the
 * event, it is published to the clients of its route's service in the emitting tenant.
 */
public final class EventForwarder implements Handler {

  private final Publisher publisher;
  private final EventRoute route;

  public EventForwarder(Publisher publisher, EventRoute route) {
    this.publisher = publisher;
    this.route = route;
  }

  @Override
  public void process(EventContext context) {
    Map<String, Object> headers = publisher.emitHeaders(context.getParameterInfo().getHeaders(),
        context.get(EmitHeaders.KEY) instanceof Map<?, ?> emitted ? emitted : null, route.format().name());
    publisher.publish(route, context.get("data"), headers, context.getUserInfo(), 0, context.getChangeSetContext());
  }
}
