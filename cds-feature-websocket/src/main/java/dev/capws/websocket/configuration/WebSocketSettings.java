package dev.capws.websocket.configuration;

import com.sap.cds.services.environment.CdsEnvironment;

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
 */
public record WebSocketSettings(boolean enabled, String pathPrefix, int maxMessageSize, boolean replies,
    int outboundQueueLimit, long sendTimeoutMillis, boolean shapePayload, boolean afterCommit,
    String includeOperator, String excludeOperator, String format) {

  public static final String PREFIX = "cds.websocket.";

  public static WebSocketSettings defaults() {
    return new WebSocketSettings(true, "/ws", 1024 * 1024, true, 1000, 30_000, true, true, "or", "or", "json");
  }

  public static WebSocketSettings from(CdsEnvironment env) {
    WebSocketSettings d = defaults();
    return new WebSocketSettings(
        env.getProperty(PREFIX + "enabled", Boolean.class, d.enabled()),
        env.getProperty(PREFIX + "path", String.class, d.pathPrefix()),
        env.getProperty(PREFIX + "max-message-size", Integer.class, d.maxMessageSize()),
        env.getProperty(PREFIX + "replies", Boolean.class, d.replies()),
        env.getProperty(PREFIX + "outbound-queue-limit", Integer.class, d.outboundQueueLimit()),
        env.getProperty(PREFIX + "send-timeout", Long.class, d.sendTimeoutMillis()),
        env.getProperty(PREFIX + "shape-payload", Boolean.class, d.shapePayload()),
        env.getProperty(PREFIX + "after-commit", Boolean.class, d.afterCommit()),
        env.getProperty(PREFIX + "operator.include", String.class, d.includeOperator()),
        env.getProperty(PREFIX + "operator.exclude", String.class, d.excludeOperator()),
        env.getProperty(PREFIX + "format", String.class, d.format()));
  }
}
