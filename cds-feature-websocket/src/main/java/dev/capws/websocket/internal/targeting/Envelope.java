package dev.capws.websocket.internal.targeting;

/**
 * One committed event on its way to the clients of a service in a tenant, already composed: every recipient gets
 * these same characters. Plain data, so that another instance can deliver it to its own clients with the same
 * targeting.
 *
 * @param serviceName the qualified name of the WebSocket service
 * @param tenant      the emitting tenant, or null
 * @param event       the event name, for logs
 * @param frame       the composed frame
 * @param targeting   which of the service's clients in the tenant receive it
 * @param except      the id of a connection of the emitting instance that must not receive it (the sender of a
 *                    facade broadcast), or 0
 * @param positioned  whether its frame carries its position ({@code "seq"}): a {@code json} event of a service
 *                    with recovery
 * @param source      for a mixin event of another service joined to this service's path, that service's qualified
 *                    name: only clients allowed by its own {@code @requires} / {@code @restrict} receive it
 *                    ({@link dev.capws.websocket.internal.connection.Connection#hears}); null for the service's own
 */
public record Envelope(String serviceName, String tenant, String event, String frame, Targeting targeting,
    long except, boolean positioned, String source) {

  /** An event of the service itself. */
  public Envelope(String serviceName, String tenant, String event, String frame, Targeting targeting, long except,
      boolean positioned) {
    this(serviceName, tenant, event, frame, targeting, except, positioned, null);
  }

  /** As it applies on another instance than the emitting one: the excepted connection is not there. */
  public Envelope withoutExcept() {
    return except == 0 ? this : new Envelope(serviceName, tenant, event, frame, targeting, 0, positioned, source);
  }
}
