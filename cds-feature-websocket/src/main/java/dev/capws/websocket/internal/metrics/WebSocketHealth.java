package dev.capws.websocket.internal.metrics;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import dev.capws.websocket.internal.configuration.WebSocketRuntime;

/**
 * Actuator's {@code webSocket} health: DOWN once the instance no longer accepts connections (it is shutting down);
 * otherwise UP, with the broker and whether it reaches the other instances. A broker that is away does not make it
 * DOWN: the instance still serves its own clients and keeps their events (docs/scale-out.md), and a restart would
 * not bring Redis back; alert on {@code broker.connected} or {@code cds.websocket.events.dropped} instead.
 */
public final class WebSocketHealth implements HealthIndicator {

  private final WebSocketRuntime parts;

  public WebSocketHealth(WebSocketRuntime parts) {
    this.parts = parts;
  }

  @Override
  public Health health() {
    Health.Builder health = parts.accepting() ? Health.up() : Health.down();
    return health.withDetail("accepting", parts.accepting())
        .withDetail("connections", parts.clients().count())
        .withDetail("broker", parts.brokerName())
        .withDetail("broker.connected", parts.brokerConnected()).build();
  }
}
