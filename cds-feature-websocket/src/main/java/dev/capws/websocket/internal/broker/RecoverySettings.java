package dev.capws.websocket.internal.broker;

import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * Whether events carry their position ({@code "seq"}) and clients can catch up with {@code ?since=}.
 *
 * @param enabled      {@code cds.websocket.recovery.enabled}: for every service (else only those annotated
 *                     {@code @ws.recovery})
 * @param maxEvents    events the local broker keeps per service (the Redis broker keeps its stream's length)
 * @param maxAgeMillis how long the local broker keeps them
 */
public record RecoverySettings(boolean enabled, int maxEvents, long maxAgeMillis) {

  public static RecoverySettings defaults() {
    return new RecoverySettings(false, 1000, 300_000);
  }

  /** Whether the clients of this endpoint's service can catch up: its events carry their position. */
  public boolean appliesTo(WebSocketEndpoint endpoint) {
    return endpoint.service() != null && (enabled || endpoint.recoveryAnnotated());
  }
}
