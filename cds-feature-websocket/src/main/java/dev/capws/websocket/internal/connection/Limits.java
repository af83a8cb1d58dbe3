package dev.capws.websocket.internal.connection;

import java.util.List;

/**
 * What one instance lets its clients do, so that no client (or many) can exhaust it; immutable. Every value has a
 * safe default, listed in docs/configuration.md and docs/security.md.
 *
 * @param allowedOrigins        browser origins allowed to connect besides the server's own ({@code *}: any)
 * @param maxConnections        open connections of this instance; more are refused (503 before the upgrade)
 * @param maxConnectionsPerUser open connections of one authenticated user (anonymous users are not counted)
 * @param maxMessagesPerSecond  inbound messages per connection and second, with bursts of twice that; beyond,
 *                              messages are dropped with a 429 error frame (0: no limit)
 * @param maxContexts           contexts one connection can be in
 * @param heartbeatMillis       how often idle connections are pinged; a connection that has not answered the
 *                              previous ping by the next one is closed (0: no heartbeat)
 * @param maxMessageSize        largest inbound message in bytes; larger closes with 1009
 * @param sendTimeoutMillis     how long a write may wait for a client that does not read before it is closed
 * @param outboundQueueLimit    frames that may wait for one client before it is closed with 1013
 * @param outboundQueueBytes    bytes on the wire that may wait for one client before it is closed with 1013
 * @param messageTimeoutMillis  how long an inbound message may take from its first frame header to its last byte;
 *                              a client that leaves one unfinished longer is closed with 1008 (0: no limit)
 */
public record Limits(List<String> allowedOrigins, int maxConnections, int maxConnectionsPerUser,
    int maxMessagesPerSecond, int maxContexts, long heartbeatMillis, int maxMessageSize, long sendTimeoutMillis,
    int outboundQueueLimit, long outboundQueueBytes, long messageTimeoutMillis) {

  public static Limits defaults() {
    return new Limits(List.of(), 20_000, 100, 100, 100, 30_000, 1024 * 1024, 30_000, 1000, 16L * 1024 * 1024, 30_000);
  }

  public Limits {
    allowedOrigins = List.copyOf(allowedOrigins);
  }
}
