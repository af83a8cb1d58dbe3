package dev.capws.websocket.internal.broker;

/**
 * How the Redis broker reaches Redis and what it keeps there.
 *
 * @param uri             {@code redis://[:password@]host:port[/db]} or {@code rediss://...} (TLS)
 * @param keyPrefix       prefix of every key the plugin writes ({@code <prefix>:epoch},
 *                        {@code <prefix>:stream:<service>})
 * @param streamLength    entries kept per service stream (approximately): the window for catching up, across
 *                        instances and for reconnecting clients
 * @param bufferSize      committed events held while Redis is unreachable; more are dropped (logged, counted)
 * @param bufferAgeMillis how long such an event is held; older ones are dropped when Redis returns
 */
public record RedisSettings(String uri, String keyPrefix, int streamLength, int bufferSize, long bufferAgeMillis) {

  public static RedisSettings defaults() {
    return new RedisSettings(null, "cds-websocket", 10_000, 10_000, 60_000);
  }
}
