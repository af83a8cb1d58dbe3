package dev.capws.websocket.internal.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

/**
 * One URL a WebSocket client connects to, and what is served there: the events that may be pushed and the unbound
 * operations a client may call, keyed by the names used on the wire. They belong to {@code service}, the service
 * whose clients connect here, or, for mixins, to the service named in {@code owners}. The entities of a WebSocket
 * service can be used over the socket; a path that only serves mixins exposes no entities.
 */
public record WebSocketEndpoint(String path, CdsService service, Map<String, CdsEvent> events,
    Map<String, CdsOperation> operations, Map<String, CdsService> owners, boolean exposesEntities) {

  /** Called on connect when the service declares it. */
  public static final String CONNECT = "wsConnect";
  /** Called on disconnect when the service declares it, with the close code as {@code reason}. */
  public static final String DISCONNECT = "wsDisconnect";
  /** The event name of the frames that enter and leave contexts; a service operation of this name is called too. */
  public static final String CONTEXT = "wsContext";

  /** The stand-in endpoint of a custom route: no service, nothing declared. */
  public static WebSocketEndpoint route(String path) {
    return new WebSocketEndpoint(path, null, Map.of(), Map.of(), Map.of(), false);
  }

  public String serviceName() {
    return service.getQualifiedName();
  }

  /** {@code @ws.recovery} on the service: its clients can catch up after a reconnect. */
  public boolean recoveryAnnotated() {
    return service != null && (WsAnnotations.isTruthy(WsAnnotations.value(service, "ws.recovery"))
        || WsAnnotations.isTruthy(WsAnnotations.value(service, "websocket.recovery")));
  }

  /**
   * The other services whose mixin events are pushed here (joined to this path), each with its own access rules:
   * a client of the path hears their events only if it meets them.
   */
  public Set<CdsService> mixinServices() {
    return events.keySet().stream().map(this::ownerOf).filter(owner -> !Objects.equals(owner, service))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The service that declares this event or operation (itself a mixin's own service). */
  public CdsService ownerOf(String name) {
    return owners.getOrDefault(name, service);
  }

  public Optional<CdsOperation> operation(String name) {
    return Optional.ofNullable(operations.get(name));
  }

  /** A declared event; {@code Books:created} also finds {@code Books.created}, as in the Node plugin. */
  public Optional<CdsEvent> event(String name) {
    CdsEvent event = events.get(name);
    return Optional.ofNullable(event != null ? event : events.get(name.replace(':', '.')));
  }
}
