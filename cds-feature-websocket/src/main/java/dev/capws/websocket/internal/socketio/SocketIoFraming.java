package dev.capws.websocket.internal.socketio;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.internal.format.JsonFormat;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.model.EndpointCatalog;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * A service's format as Socket.IO clients get it: each event becomes the Engine.IO text of a Socket.IO event in the
 * service's namespace, {@code 42/ws/chat,["received",<payload>]}. The whole packet is composed here, once per
 * broadcast, so everything after the publisher (brokers, Redis, fan-out, outboxes) carries it unchanged and every
 * recipient gets the same bytes. As in the Node plugin, the {@code json} format sends the data itself (its headers
 * stay out); other formats send their composed text as the one argument.
 */
public final class SocketIoFraming implements WebSocketFormat {

  private final WebSocketFormat format;
  /** The namespace (endpoint path) of each service whose events are served: its own, or a mixin's host's. */
  private final Map<String, String> namespaces;

  private SocketIoFraming(WebSocketFormat format, Map<String, String> namespaces) {
    this.format = format;
    this.namespaces = namespaces;
  }

  /** Wraps formats for the endpoints of this catalog. */
  public static UnaryOperator<WebSocketFormat> forCatalog(EndpointCatalog catalog) {
    Map<String, String> namespaces = new HashMap<>();
    for (WebSocketEndpoint endpoint : catalog.endpoints()) {
      endpoint.owners().values().forEach(owner -> namespaces.putIfAbsent(owner.getQualifiedName(), endpoint.path()));
      namespaces.put(endpoint.serviceName(), endpoint.path());
    }
    return format -> format instanceof SocketIoFraming ? format : new SocketIoFraming(format, namespaces);
  }

  /** The wrapped format's name: the publisher and the emit headers go by it. */
  @Override
  public String name() {
    return format.name();
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    String argument = JsonFormat.NAME.equals(format.name()) ? JsonFrames.write(data)
        : JsonFrames.write(format.compose(service, definition, event, data, headers));
    String namespace = namespaces.getOrDefault(service.getQualifiedName(), "/");
    return SocketIoWire.event(namespace, event, argument);
  }

  /** Socket.IO events are read by {@link SocketIoHandler}, not by the format. */
  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    return format.parse(service, operations, message);
  }

  @Override
  public boolean replies() {
    return false;
  }
}
