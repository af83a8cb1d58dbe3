package dev.capws.websocket.internal.handshake;

import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.capws.websocket.internal.format.Formats;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * Which subprotocol the server agrees to (RFC 6455, 4.2.2): one the client offered and the endpoint accepts, never
 * simply the client's first offer. Agreeing to a subprotocol promises to speak it, and a client that needs one fails
 * the connection if none is agreed, which is the honest answer when the server does not speak it. An endpoint
 * accepts its format's own subprotocols ({@code pcp}: {@code v10.pcp.sap.com}) and those configured for all in
 * {@code cds.websocket.subprotocols}; a custom route only the configured ones.
 */
public final class Subprotocols {

  private final Formats formats;
  private final List<String> configured;
  /** Per endpoint path: looked up once. */
  private final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();

  public Subprotocols(Formats formats, List<String> configured) {
    this.formats = formats;
    this.configured = List.copyOf(configured);
  }

  /** The first subprotocol the client offers that the endpoint accepts, or null: then none is agreed. */
  String choose(WebSocketEndpoint endpoint, Enumeration<String> offered) {
    Set<String> accepts = accepted.computeIfAbsent(endpoint.path(), path -> accepts(endpoint));
    while (offered != null && offered.hasMoreElements()) {
      for (String part : offered.nextElement().split(",")) {
        String protocol = part.trim();
        if (accepts.contains(protocol)) {
          return protocol;
        }
      }
    }
    return null;
  }

  private Set<String> accepts(WebSocketEndpoint endpoint) {
    Set<String> accepts = new LinkedHashSet<>(configured);
    if (endpoint.service() != null) {
      accepts.addAll(formats.of(null, endpoint.service()).subprotocols());
    }
    return accepts;
  }
}
