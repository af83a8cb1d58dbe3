package dev.capws.websocket.configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sap.cds.services.environment.CdsEnvironment;

import dev.capws.websocket.transport.Limits;

/**
 * The plugin's settings, read once from {@code cds.websocket.*}. Every default is listed in docs/configuration.md.
 *
 * @param enabled            {@code cds.websocket.enabled}: serve WebSocket endpoints at all
 * @param pathPrefix         {@code cds.websocket.path}: the prefix for relative service paths
 * @param maxMessageSize     {@code cds.websocket.max-message-size}: largest inbound message in bytes; larger closes
 *                           with 1009
 * @param replies            {@code cds.websocket.replies}: answer each client frame with a result or error frame
 * @param outboundQueueLimit {@code cds.websocket.outbound-queue-limit}: frames waiting for one client before that
 *                           client is closed with 1013
 * @param outboundQueueBytes {@code cds.websocket.outbound-queue-bytes}: bytes (counted as characters) waiting for
 *                           one client before that client is closed with 1013
 * @param sendTimeoutMillis  {@code cds.websocket.send-timeout}: milliseconds one frame may take to leave before the
 *                           client is treated as stalled and closed
 * @param shapePayload       {@code cds.websocket.shape-payload}: send only the elements an event declares (the Node
 *                           plugin sends whatever the handler emitted)
 * @param afterCommit        {@code cds.websocket.after-commit}: hold events until the emitting change set commits and
 *                           drop them on rollback (the Node plugin sends at once, before the commit)
 * @param includeOperator    {@code cds.websocket.operator.include}: how include layers combine, "or" or "and"
 * @param excludeOperator    {@code cds.websocket.operator.exclude}: how exclude layers combine, "or" or "and"
 * @param format             {@code cds.websocket.format}: the format of services and events without
 *                           {@code @ws.format}
 * @param httpHeaderIncludes {@code cds.websocket.http-header-includes}: also take {@code x-ws-*} HTTP headers that
 *                           add recipients (by default only those that leave recipients out)
 * @param fanOutQueue        {@code cds.websocket.fan-out-queue}: events that may wait for the fan-out before emitters
 *                           wait for it (back-pressure)
 * @param limits             {@code cds.websocket.allowed-origins}, {@code max-connections},
 *                           {@code max-connections-per-user}, {@code max-messages-per-second},
 *                           {@code max-contexts}, {@code heartbeat-interval}
 */
public record WebSocketSettings(boolean enabled, String pathPrefix, int maxMessageSize, boolean replies,
    int outboundQueueLimit, long outboundQueueBytes, long sendTimeoutMillis, boolean shapePayload, boolean afterCommit,
    String includeOperator, String excludeOperator, String format, boolean httpHeaderIncludes, int fanOutQueue,
    Limits limits) {

  public static final String PREFIX = "cds.websocket.";

  public static WebSocketSettings defaults() {
    return new WebSocketSettings(true, "/ws", 1024 * 1024, true, 1000, 16L * 1024 * 1024, 30_000, true, true, "or", "or", "json",
        false, 16, Limits.defaults());
  }

  public static WebSocketSettings from(CdsEnvironment env) {
    WebSocketSettings d = defaults();
    return new WebSocketSettings(
        env.getProperty(PREFIX + "enabled", Boolean.class, d.enabled()),
        env.getProperty(PREFIX + "path", String.class, d.pathPrefix()),
        env.getProperty(PREFIX + "max-message-size", Integer.class, d.maxMessageSize()),
        env.getProperty(PREFIX + "replies", Boolean.class, d.replies()),
        env.getProperty(PREFIX + "outbound-queue-limit", Integer.class, d.outboundQueueLimit()),
        env.getProperty(PREFIX + "outbound-queue-bytes", Long.class, d.outboundQueueBytes()),
        env.getProperty(PREFIX + "send-timeout", Long.class, d.sendTimeoutMillis()),
        env.getProperty(PREFIX + "shape-payload", Boolean.class, d.shapePayload()),
        env.getProperty(PREFIX + "after-commit", Boolean.class, d.afterCommit()),
        env.getProperty(PREFIX + "operator.include", String.class, d.includeOperator()),
        env.getProperty(PREFIX + "operator.exclude", String.class, d.excludeOperator()),
        env.getProperty(PREFIX + "format", String.class, d.format()),
        env.getProperty(PREFIX + "http-header-includes", Boolean.class, d.httpHeaderIncludes()),
        env.getProperty(PREFIX + "fan-out-queue", Integer.class, d.fanOutQueue()),
        limits(env, d.limits()));
  }

  private static Limits limits(CdsEnvironment env, Limits d) {
    return new Limits(list(env, PREFIX + "allowed-origins"),
        env.getProperty(PREFIX + "max-connections", Integer.class, d.maxConnections()),
        env.getProperty(PREFIX + "max-connections-per-user", Integer.class, d.maxConnectionsPerUser()),
        env.getProperty(PREFIX + "max-messages-per-second", Integer.class, d.maxMessagesPerSecond()),
        env.getProperty(PREFIX + "max-contexts", Integer.class, d.maxContexts()),
        env.getProperty(PREFIX + "heartbeat-interval", Long.class, d.heartbeatMillis()));
  }

  /** A list given as comma-separated text, or as a YAML list (indexed keys). */
  private static List<String> list(CdsEnvironment env, String key) {
    List<String> values = new ArrayList<>();
    String text = env.getProperty(key, String.class, null);
    if (text != null) {
      Arrays.stream(text.split(",")).map(String::trim).filter(v -> !v.isEmpty()).forEach(values::add);
    }
    for (int i = 0; text == null; i++) {
      String value = env.getProperty(key + "[" + i + "]", String.class, null);
      if (value == null) {
        break;
      }
      values.add(value.trim());
    }
    return values;
  }
}
