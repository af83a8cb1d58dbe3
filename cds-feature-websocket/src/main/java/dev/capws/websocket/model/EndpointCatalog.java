package dev.capws.websocket.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.sap.cds.reflect.CdsDefinition;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

/** Every WebSocket endpoint of a CDS model, found once at start-up and looked up by exact path. */
public final class EndpointCatalog {

  private final Map<String, WebSocketEndpoint> byPath;

  private EndpointCatalog(Map<String, WebSocketEndpoint> byPath) {
    this.byPath = Collections.unmodifiableMap(byPath);
  }

  /**
   * @param prefix the path under which relative service paths are served, {@code /ws} by default
   */
  public static EndpointCatalog discover(CdsModel model, String prefix) {
    Map<String, WebSocketEndpoint> byPath = new LinkedHashMap<>();
    model.services().forEach(service -> {
      for (Optional<String> explicitPath : ProtocolAnnotations.websocketEndpoints(service)) {
        String path = EndpointPaths.resolve(prefix, explicitPath.orElseGet(() -> defaultPath(service)));
        byPath.putIfAbsent(path, endpoint(path, service));
      }
    });
    return new EndpointCatalog(byPath);
  }

  private static String defaultPath(CdsService service) {
    return service.findAnnotation("path").map(a -> a.getValue())
        .filter(p -> p instanceof String s && !s.isBlank()).map(Object::toString)
        .orElseGet(() -> EndpointPaths.slug(service.getQualifiedName()));
  }

  private static WebSocketEndpoint endpoint(String path, CdsService service) {
    Map<String, CdsEvent> events = new LinkedHashMap<>();
    service.events().forEach(e -> events.put(localName(service, e), e));
    Map<String, CdsOperation> operations = new LinkedHashMap<>();
    Stream.concat(service.actions(), service.functions()).forEach(o -> operations.put(localName(service, o), o));
    return new WebSocketEndpoint(path, service, Collections.unmodifiableMap(events),
        Collections.unmodifiableMap(operations));
  }

  /** The name within the service, which may itself contain dots ({@code Books.created}). */
  private static String localName(CdsService service, CdsDefinition definition) {
    return definition.getQualifiedName().substring(service.getQualifiedName().length() + 1);
  }

  public Optional<WebSocketEndpoint> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  public Collection<WebSocketEndpoint> endpoints() {
    return byPath.values();
  }

  /** The endpoints of one service (a service may be served at several paths). */
  public List<WebSocketEndpoint> ofService(String qualifiedServiceName) {
    List<WebSocketEndpoint> result = new ArrayList<>();
    for (WebSocketEndpoint e : byPath.values()) {
      if (e.serviceName().equals(qualifiedServiceName)) {
        result.add(e);
      }
    }
    return result;
  }

  /** The names of the services that have at least one WebSocket endpoint. */
  public List<String> serviceNames() {
    return byPath.values().stream().map(WebSocketEndpoint::service).map(CdsDefinition::getQualifiedName).distinct()
        .toList();
  }

  public boolean isEmpty() {
    return byPath.isEmpty();
  }
}
