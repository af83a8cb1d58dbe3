package dev.capws.websocket.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.sap.cds.reflect.CdsAnnotation;
import com.sap.cds.reflect.CdsService;

/**
 * Reads which WebSocket endpoints a service asks for, in every form the Node.js runtime accepts:
 * {@code @protocol: 'websocket'}, {@code @protocol: ['odata', 'ws']}, {@code @protocol: [{kind: 'websocket', path:
 * 'x'}]}, {@code @protocol: #websocket}, and, when there is no {@code @protocol}, {@code @ws}, {@code @websocket}, {@code @protocol.ws} or
 * {@code @protocol.websocket} (a string value there is the path).
 */
final class ProtocolAnnotations {

  static final Set<String> KINDS = Set.of("websocket", "ws");

  private ProtocolAnnotations() {}

  /**
   * One entry per WebSocket endpoint of the service: the explicit path of that endpoint, or empty when the default
   * ({@code @path} or the slug of the name) applies. An empty list means the service is not served over WebSocket.
   */
  static List<Optional<String>> websocketEndpoints(CdsService service) {
    Optional<CdsAnnotation<Object>> protocol = service.findAnnotation("protocol");
    List<Optional<String>> endpoints = new ArrayList<>();
    if (protocol.isPresent() && protocol.get().getValue() != null) {
      Object value = protocol.get().getValue();
      List<?> entries = value instanceof List<?> list ? list : List.of(value);
      for (Object entry : entries) {
        if (entry instanceof Map<?, ?> map) {
          Object kind = firstPresent(map, "kind", "=", "#");
          if (kind != null && KINDS.contains(kind.toString())) {
            Object path = map.get("path");
            endpoints.add(path instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty());
          }
        } else if (entry != null && KINDS.contains(entry.toString())) {
          endpoints.add(Optional.empty());
        }
      }
      return endpoints;
    }
    for (String kind : List.of("websocket", "ws")) {
      for (String name : List.of(kind, "protocol." + kind)) {
        Object value = service.findAnnotation(name).map(CdsAnnotation::getValue).orElse(null);
        if (isSet(value)) {
          endpoints.add(value instanceof String s ? Optional.of(s) : Optional.empty());
          break;
        }
      }
    }
    return endpoints;
  }

  /** {@code {kind: 'ws'}}, or the CSN forms of an expression ({@code =}) or enum symbol ({@code #websocket}). */
  private static Object firstPresent(Map<?, ?> map, String... keys) {
    for (String key : keys) {
      if (map.get(key) != null) {
        return map.get(key);
      }
    }
    return null;
  }

  private static boolean isSet(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    return !(value instanceof String s) || !s.isBlank();
  }
}
