package dev.capws.websocket.internal.model;

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

/**
 * Every WebSocket endpoint of a CDS model, found once at start-up and looked up by exact path: the WebSocket
 * services, and the mixins (events and operations annotated {@code @ws} in services that are not WebSocket services).
 */
public final class EndpointCatalog {

  private final Map<String, WebSocketEndpoint> byPath;

  private EndpointCatalog(Map<String, WebSocketEndpoint> byPath) {
    this.byPath = Collections.unmodifiableMap(byPath);
  }

  /**
   * @param prefix the path under which relative service paths are served, {@code /ws} by default
   */
  public static EndpointCatalog discover(CdsModel model, String prefix) {
    Map<String, Builder> builders = new LinkedHashMap<>();
    List<CdsService> others = new ArrayList<>();
    model.services().forEach(service -> {
      List<Optional<String>> endpoints = ProtocolAnnotations.websocketEndpoints(service);
      if (endpoints.isEmpty()) {
        others.add(service);
      }
      for (Optional<String> explicitPath : endpoints) {
        String path = EndpointPaths.resolve(prefix, explicitPath.orElseGet(() -> defaultPath(service)));
        builders.computeIfAbsent(path, p -> new Builder(p, service, true).addAllOf(service));
      }
    });
    others.forEach(service -> mixins(service, prefix, builders));
    Map<String, WebSocketEndpoint> byPath = new LinkedHashMap<>();
    builders.forEach((path, builder) -> byPath.put(path, builder.build()));
    return new EndpointCatalog(byPath);
  }

  /**
   * Events and unbound operations marked {@code @ws} / {@code @websocket} (or any {@code @ws.*}) are served at the
   * service's own path below the prefix, or at {@code @ws.path} of the definition or the service; there they join
   * the endpoint that is already served at that path, if any.
   */
  private static void mixins(CdsService service, String prefix, Map<String, Builder> builders) {
    Stream.concat(service.events(), Stream.concat(service.actions(), service.functions()))
        .filter(EndpointCatalog::isMixin).forEach(definition -> {
          String path = EndpointPaths.resolve(prefix, mixinPath(service, definition));
          Builder builder = builders.computeIfAbsent(path, p -> new Builder(p, service, false));
          builder.add(service, definition);
        });
  }

  private static boolean isMixin(CdsDefinition definition) {
    return definition.annotations().anyMatch(a -> {
      String name = a.getName();
      return (name.equals("ws") || name.equals("websocket")) ? WsAnnotations.isTruthy(a.getValue())
          : name.startsWith("ws.") || name.startsWith("websocket.");
    });
  }

  private static String mixinPath(CdsService service, CdsDefinition definition) {
    for (CdsDefinition source : List.of(definition, service)) {
      for (String name : List.of("websocket.path", "ws.path")) {
        if (WsAnnotations.value(source, name) instanceof String path && !path.isBlank()) {
          return path;
        }
      }
    }
    return defaultPath(service);
  }

  private static String defaultPath(CdsService service) {
    return service.findAnnotation("path").map(a -> a.getValue())
        .filter(p -> p instanceof String s && !s.isBlank()).map(Object::toString)
        .orElseGet(() -> EndpointPaths.slug(service.getQualifiedName()));
  }

  /** Collects what one path serves. */
  private static final class Builder {
    private final String path;
    private final CdsService service;
    private final Map<String, CdsEvent> events = new LinkedHashMap<>();
    private final Map<String, CdsOperation> operations = new LinkedHashMap<>();
    private final Map<String, CdsService> owners = new LinkedHashMap<>();
    private final boolean websocketService;

    Builder(String path, CdsService service, boolean websocketService) {
      this.path = path;
      this.service = service;
      this.websocketService = websocketService;
    }

    Builder addAllOf(CdsService source) {
      source.events().forEach(e -> add(source, e));
      Stream.concat(source.actions(), source.functions()).forEach(o -> add(source, o));
      return this;
    }

    void add(CdsService source, CdsDefinition definition) {
      String name = localName(source, definition);
      if (definition instanceof CdsEvent event) {
        events.putIfAbsent(name, event);
      } else if (definition instanceof CdsOperation operation) {
        operations.putIfAbsent(name, operation);
      }
      owners.putIfAbsent(name, source);
    }

    WebSocketEndpoint build() {
      return new WebSocketEndpoint(path, service, Collections.unmodifiableMap(events),
          Collections.unmodifiableMap(operations), Collections.unmodifiableMap(owners), websocketService);
    }
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

  public boolean isEmpty() {
    return byPath.isEmpty();
  }
}
