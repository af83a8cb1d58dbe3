package dev.capws.websocket.broker;

import dev.capws.websocket.transport.Targeting;

/**
 * One event on its way to the clients of a service in a tenant, already composed: every recipient gets these same
 * characters.
 *
 * @param serviceName the qualified name of the WebSocket service
 * @param tenant      the emitting tenant, or null
 * @param event       the event name, for logs and metrics
 * @param frame       the composed frame
 * @param targeting   which of the service's clients in the tenant receive it
 * @param except      the id of a connection that must not receive it (the sender of a facade broadcast), or 0
 */
public record Broadcast(String serviceName, String tenant, String event, String frame, Targeting targeting,
    long except) {

  /** To every client of the service in the tenant. */
  public Broadcast(String serviceName, String tenant, String event, String frame) {
    this(serviceName, tenant, event, frame, Targeting.EVERYONE, 0);
  }
}
