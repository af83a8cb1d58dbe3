package dev.capws.websocket.internal.configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.sap.cds.services.environment.CdsEnvironment;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.broker.FanOutBound;
import dev.capws.websocket.internal.broker.RecoverySettings;
import dev.capws.websocket.internal.broker.RedisSettings;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.outbound.PublishSettings;

/**
 * The plugin's settings, read once from {@code cds.websocket.*}; immutable. Every default is listed in
 * docs/configuration.md.
 *
 * @param enabled         {@code cds.websocket.enabled}: serve WebSocket endpoints at all
 * @param pathPrefix      {@code cds.websocket.path}: the prefix for relative service paths
 * @param replies         {@code cds.websocket.replies}: answer each client frame with a result or error frame
 * @param includeOperator {@code cds.websocket.operator.include}: how include layers combine
 * @param excludeOperator {@code cds.websocket.operator.exclude}: how exclude layers combine
 * @param format          {@code cds.websocket.format}: the format of services and events without {@code @ws.format}
 * @param fanOut          how far the fan-out may fall behind before emitters wait for it (back-pressure):
 *                        {@code cds.websocket.fan-out-queue} (events), {@code cds.websocket.fan-out-delay} (ms)
 * @param limits          what clients may do: {@code allowed-origins}, {@code max-connections},
 *                        {@code max-connections-per-user}, {@code max-messages-per-second}, {@code max-contexts},
 *                        {@code heartbeat-interval}, {@code max-message-size}, {@code send-timeout},
 *                        {@code outbound-queue-limit}, {@code outbound-queue-bytes}, {@code message-timeout}
 * @param publishing      how events go out: {@code shape-payload}, {@code after-commit},
 *                        {@code http-header-includes}
 * @param broker          {@code cds.websocket.broker}: {@code local} (this instance's clients) or {@code redis} (every
 *                        instance's); {@code redis} by default when a Redis service ({@code redis-cache}) is bound
 * @param redis           {@code cds.websocket.redis.*}: {@code uri} (else the bound service's), {@code key-prefix},
 *                        {@code stream-length}, {@code buffer-size}, {@code buffer-age}
 * @param recovery        {@code cds.websocket.recovery.*}: {@code enabled}, {@code max-events}, {@code max-age}
 * @param outbox          {@code cds.websocket.outbox}: the CAP outbox service events go through (e.g.
 *                        {@code DefaultOutboxOrdered}), or null: they wait for the commit in memory
 * @param subprotocols    {@code cds.websocket.subprotocols}: subprotocols every endpoint agrees to besides its
 *                        format's own ({@code pcp}: {@code v10.pcp.sap.com})
 */
public record WebSocketSettings(boolean enabled, String pathPrefix, boolean replies, Operator includeOperator,
    Operator excludeOperator, String format, FanOutBound fanOut, Limits limits, PublishSettings publishing,
    String broker, RedisSettings redis, RecoverySettings recovery, String outbox, List<String> subprotocols) {

  public static final String LOCAL = "local";
  public static final String REDIS = "redis";

  public static final String PREFIX = "cds.websocket.";

  public static WebSocketSettings defaults() {
    return new WebSocketSettings(true, "/ws", true, Operator.OR, Operator.OR, "json", new FanOutBound(16, 20),
        Limits.defaults(), PublishSettings.defaults(), LOCAL, RedisSettings.defaults(), RecoverySettings.defaults(),
        null, List.of());
  }

  public static WebSocketSettings from(CdsEnvironment env) {
    WebSocketSettings d = defaults();
    return new WebSocketSettings(
        env.getProperty(PREFIX + "enabled", Boolean.class, d.enabled()),
        env.getProperty(PREFIX + "path", String.class, d.pathPrefix()),
        env.getProperty(PREFIX + "replies", Boolean.class, d.replies()),
        Operator.of(env.getProperty(PREFIX + "operator.include", String.class, null), d.includeOperator()),
        Operator.of(env.getProperty(PREFIX + "operator.exclude", String.class, null), d.excludeOperator()),
        env.getProperty(PREFIX + "format", String.class, d.format()),
        new FanOutBound(env.getProperty(PREFIX + "fan-out-queue", Integer.class, d.fanOut().events()),
            env.getProperty(PREFIX + "fan-out-delay", Long.class, d.fanOut().delayMillis())),
        limits(env, d.limits()), publishing(env, d.publishing()), broker(env), redis(env, d.redis()),
        recovery(env, d.recovery()), env.getProperty(PREFIX + "outbox", String.class, d.outbox()),
        list(env, PREFIX + "subprotocols"));
  }

  /** Redis when asked for, or when a Redis service is bound and nothing else is asked for. */
  private static String broker(CdsEnvironment env) {
    String kind = env.getProperty(PREFIX + "broker", String.class, null);
    if (kind != null) {
      return kind.trim().toLowerCase(Locale.ROOT);
    }
    return RedisBinding.uri(env).isPresent() ? REDIS : LOCAL;
  }

  private static RedisSettings redis(CdsEnvironment env, RedisSettings d) {
    String uri = env.getProperty(PREFIX + "redis.uri", String.class, null);
    return new RedisSettings(uri != null ? uri : RedisBinding.uri(env).orElse(null),
        env.getProperty(PREFIX + "redis.key-prefix", String.class, d.keyPrefix()),
        env.getProperty(PREFIX + "redis.stream-length", Integer.class, d.streamLength()),
        env.getProperty(PREFIX + "redis.buffer-size", Integer.class, d.bufferSize()),
        env.getProperty(PREFIX + "redis.buffer-age", Long.class, d.bufferAgeMillis()));
  }

  private static RecoverySettings recovery(CdsEnvironment env, RecoverySettings d) {
    return new RecoverySettings(env.getProperty(PREFIX + "recovery.enabled", Boolean.class, d.enabled()),
        env.getProperty(PREFIX + "recovery.max-events", Integer.class, d.maxEvents()),
        env.getProperty(PREFIX + "recovery.max-age", Long.class, d.maxAgeMillis()));
  }

  private static Limits limits(CdsEnvironment env, Limits d) {
    return new Limits(list(env, PREFIX + "allowed-origins"),
        env.getProperty(PREFIX + "max-connections", Integer.class, d.maxConnections()),
        env.getProperty(PREFIX + "max-connections-per-user", Integer.class, d.maxConnectionsPerUser()),
        env.getProperty(PREFIX + "max-messages-per-second", Integer.class, d.maxMessagesPerSecond()),
        env.getProperty(PREFIX + "max-contexts", Integer.class, d.maxContexts()),
        env.getProperty(PREFIX + "heartbeat-interval", Long.class, d.heartbeatMillis()),
        env.getProperty(PREFIX + "max-message-size", Integer.class, d.maxMessageSize()),
        env.getProperty(PREFIX + "send-timeout", Long.class, d.sendTimeoutMillis()),
        env.getProperty(PREFIX + "outbound-queue-limit", Integer.class, d.outboundQueueLimit()),
        env.getProperty(PREFIX + "outbound-queue-bytes", Long.class, d.outboundQueueBytes()),
        env.getProperty(PREFIX + "message-timeout", Long.class, d.messageTimeoutMillis()));
  }

  private static PublishSettings publishing(CdsEnvironment env, PublishSettings d) {
    return new PublishSettings(
        env.getProperty(PREFIX + "shape-payload", Boolean.class, d.shapePayload()),
        env.getProperty(PREFIX + "after-commit", Boolean.class, d.afterCommit()),
        env.getProperty(PREFIX + "http-header-includes", Boolean.class, d.httpHeaderIncludes()));
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
