package dev.capws.websocket.internal.metrics;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.capws.websocket.internal.configuration.WebSocketRuntime;
import dev.capws.websocket.internal.handshake.Refusal;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;

/**
 * The plugin's meters (docs/observability.md), all under {@code cds.websocket.}: they read the counts the plugin keeps
 * anyway, when scraped, so that nothing is done per frame for Micrometer. Only loaded when Micrometer is on the
 * classpath.
 */
public final class WebSocketMeters implements MeterBinder {

  /** The tag value of clients without a tenant (Micrometer tags cannot be null). */
  static final String NO_TENANT = "";

  private final WebSocketRuntime parts;

  public WebSocketMeters(WebSocketRuntime parts) {
    this.parts = parts;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    ConnectionRegistry registry = parts.registry();
    registry.onGroups((service, tenant) -> Gauge.builder("cds.websocket.connections",
        () -> registry.connections(service, tenant).size())
        .description("Open WebSocket connections of a service in a tenant")
        .tags("service", service, "tenant", tenant == null ? NO_TENANT : tenant).register(meters));

    Traffic traffic = parts.traffic();
    counter(meters, "cds.websocket.frames.sent", "Frames queued for clients", null, traffic, Traffic::framesSent);
    counter(meters, "cds.websocket.frames.received", "Messages received from clients", null, traffic,
        Traffic::framesReceived);
    counter(meters, "cds.websocket.bytes.sent", "Bytes of the frames queued for clients", "bytes", traffic,
        Traffic::bytesSent);
    counter(meters, "cds.websocket.bytes.received", "Bytes read from clients (frame headers and control frames included)", "bytes", traffic,
        Traffic::bytesReceived);
    counter(meters, "cds.websocket.slow.consumers", "Clients closed with 1013: their outbound queue was full", null,
        traffic, Traffic::slowConsumers);
    Map<String, LongAdder> refused = traffic.refused();
    for (Refusal refusal : Refusal.values()) {
      LongAdder count = refused.computeIfAbsent(refusal.tag(), tag -> new LongAdder());
      FunctionCounter.builder("cds.websocket.handshakes.refused", count, LongAdder::sum)
          .description("Upgrades refused before the 101, by reason").tag("reason", refusal.tag()).register(meters);
    }

    counter(meters, "cds.websocket.events.published", "Committed events handed to the broker", null, parts,
        WebSocketRuntime::publishedEvents);
    counter(meters, "cds.websocket.events.delivered", "Events the fan-out of this instance passed on to their recipients here (if any)", null,
        parts, runtime -> runtime.fanOutStats().delivered());
    Gauge.builder("cds.websocket.fanout.queue", parts, runtime -> runtime.fanOutStats().waiting())
        .description("Events waiting for the fan-out").register(meters);
    FunctionTimer.builder("cds.websocket.fanout.wait", parts, runtime -> runtime.fanOutStats().delivered(),
        runtime -> runtime.fanOutStats().waitNanos(), TimeUnit.NANOSECONDS)
        .description("How long events waited for the fan-out").register(meters);
    counter(meters, "cds.websocket.events.dropped", "Events the broker had to drop (Redis away too long)", null,
        parts, WebSocketRuntime::droppedEvents);
  }

  private static <T> void counter(MeterRegistry meters, String name, String description, String unit, T source,
      ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, source, count).description(description).baseUnit(unit).register(meters);
  }
}
