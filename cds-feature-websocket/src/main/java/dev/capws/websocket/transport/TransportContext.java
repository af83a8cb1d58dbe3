package dev.capws.websocket.transport;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection of the transport shares: its limits, the registry of service clients, every open session
 * (service clients and custom routes alike, for the heartbeat and the shutdown), and where inbound frames go.
 *
 * @param maxMessageSize     largest inbound message in bytes
 * @param sendTimeoutMillis  how long one frame may take to leave
 * @param outboundQueueLimit frames that may wait for one client
 * @param outboundQueueBytes bytes (counted as characters) that may wait for one client
 */
public record TransportContext(Limits limits, int maxMessageSize, long sendTimeoutMillis, int outboundQueueLimit,
    long outboundQueueBytes, ConnectionRegistry registry, FrameHandler handler, Set<Connection> open,
    AtomicBoolean accepting) {

  public TransportContext(Limits limits, int maxMessageSize, long sendTimeoutMillis, int outboundQueueLimit,
      long outboundQueueBytes, ConnectionRegistry registry, FrameHandler handler) {
    this(limits, maxMessageSize, sendTimeoutMillis, outboundQueueLimit, outboundQueueBytes, registry, handler,
        ConcurrentHashMap.newKeySet(), new AtomicBoolean(true));
  }

  /** Every open session, a live view. */
  public Set<Connection> openConnections() {
    return Collections.unmodifiableSet(open);
  }
}
