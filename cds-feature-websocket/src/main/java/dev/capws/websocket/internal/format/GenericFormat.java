package dev.capws.websocket.internal.format;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.reflect.CdsAnnotatable;
import com.sap.cds.reflect.CdsElement;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsParameter;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * The {@code generic} format, driven by {@code @ws.<format>.<attribute>} annotations, as in the Node plugin. An event
 * becomes a JSON object of attributes: from the format headers, from static annotations on the event, and from the
 * data of elements annotated with the attribute's name. A client message is a JSON object whose {@code name} (the
 * identifier) names the operation; annotated parameters take the attributes' values, the others the fields of the
 * same name. The {@code cloudevent} format builds on it.
 */
public class GenericFormat implements WebSocketFormat {

  private final String name;
  private final String identifier;

  public GenericFormat() {
    this("generic", "name");
  }

  /**
   * @param name       the format's name, also the middle part of its annotations ({@code @ws.<name>.x})
   * @param identifier the attribute of a client message that names the operation
   */
  protected GenericFormat(String name, String identifier) {
    this.name = name;
    this.identifier = identifier;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    return JsonFrames.write(attributes(definition, mutable(data), headers));
  }

  /**
   * The attributes of an event. Elements whose value became an attribute are removed from {@code data}, so that the
   * cloudevent format does not send them twice.
   */
  protected Map<String, Object> attributes(CdsEvent definition, Map<String, Object> data,
      Map<String, Object> headers) {
    Map<String, Object> result = new LinkedHashMap<>();
    headers.forEach((header, value) -> {
      if (!(header.equals(name) && value instanceof Map<?, ?>)) {
        put(result, header, headerValue(headers, header));
      }
    });
    if (headers.get(name) instanceof Map<?, ?> section) {
      @SuppressWarnings("unchecked")
      Map<String, Object> formatHeaders = (Map<String, Object>) section;
      formatHeaders.keySet().forEach(header -> put(result, header, headerValue(formatHeaders, header)));
    }
    if (definition != null) {
      for (String attribute : annotated(definition, definition.elements())) {
        put(result, attribute, eventValue(definition, data, attribute));
      }
    }
    return result;
  }

  private Object headerValue(Map<String, Object> headers, String header) {
    for (String key : List.of(name + "-" + header, name + "_" + header, name + "." + header, name + header, header)) {
      if (headers.get(key) != null) {
        return headers.get(key);
      }
    }
    return null;
  }

  /** A static value on the event, or the data of the first element annotated with the attribute. */
  private Object eventValue(CdsEvent definition, Map<String, Object> data, String attribute) {
    Optional<Object> fixed = annotation(definition, attribute);
    if (fixed.isPresent()) {
      return fixed.get();
    }
    if (data == null) {
      return null;
    }
    return definition.elements()
        .filter(e -> !WsAnnotations.isIgnored(e) && WsAnnotations.isTruthy(annotation(e, attribute).orElse(null)))
        .map(CdsElement::getName).filter(data::containsKey).findFirst().map(data::remove).orElse(null);
  }

  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    return parseObject(operations, JsonFrames.readObject(message));
  }

  /** Finds the operation the message names and maps its attributes and fields onto the operation's parameters. */
  protected ClientFrame parseObject(Map<String, CdsOperation> operations, ObjectNode message) {
    Map.Entry<String, CdsOperation> operation = operation(operations, message).orElseThrow(
        () -> new FrameRejected(404, "UNKNOWN_EVENT", "No operation for " + identifier + " '"
            + message.path(identifier).asText() + "'"));
    CdsOperation definition = operation.getValue();
    Set<String> attributes = annotated(definition, definition.parameters());
    attributes.remove("name");
    ObjectNode mapped = attributes.isEmpty() ? message : map(definition, message, attributes);
    ObjectNode parameters = JsonFrames.objectNode();
    definition.parameters().filter(p -> !WsAnnotations.isIgnored(p)).map(CdsParameter::getName)
        .filter(mapped::has).forEach(p -> parameters.set(p, mapped.get(p)));
    return new ClientFrame(operation.getKey(), parameters, null, null);
  }

  /** The operation whose {@code @ws.<format>.name}, name or local name equals the identifier attribute. */
  protected Optional<Map.Entry<String, CdsOperation>> operation(Map<String, CdsOperation> operations,
      JsonNode message) {
    JsonNode id = message.get(identifier);
    if (id == null || !id.isValueNode()) {
      return Optional.empty();
    }
    String wanted = id.asText();
    return operations.entrySet().stream().filter(e -> wanted.equals(annotation(e.getValue(), "name").orElse(null))
        || wanted.equals(e.getKey()) || wanted.equals(e.getValue().getName())).findFirst();
  }

  private ObjectNode map(CdsOperation definition, ObjectNode message, Set<String> attributes) {
    ObjectNode data = message.deepCopy();
    for (String attribute : attributes) {
      annotation(definition, attribute).ifPresent(value -> data.set(attribute, JsonFrames.tree(value)));
    }
    ObjectNode mapped = JsonFrames.objectNode();
    definition.parameters().filter(p -> !WsAnnotations.isIgnored(p)).forEach(parameter -> {
      Optional<String> attribute = attributes.stream()
          .filter(a -> WsAnnotations.isTruthy(annotation(parameter, a).orElse(null)) && data.has(a)).findFirst();
      JsonNode value = attribute.map(data::get).orElse(data.get(parameter.getName()));
      if (value != null) {
        mapped.set(parameter.getName(), value);
      }
    });
    return mapped;
  }

  /** The attribute names of {@code @ws.<format>.<attribute>} annotations on a definition and its members. */
  private Set<String> annotated(CdsAnnotatable definition, Stream<? extends CdsAnnotatable> members) {
    Set<String> attributes = new LinkedHashSet<>();
    Stream.concat(Stream.of(definition), members).flatMap(CdsAnnotatable::annotations).forEach(a -> {
      for (String prefix : List.of("websocket." + name + ".", "ws." + name + ".")) {
        if (a.getName().startsWith(prefix)) {
          attributes.add(a.getName().substring(prefix.length()));
        }
      }
    });
    return attributes;
  }

  protected Optional<Object> annotation(CdsAnnotatable definition, String attribute) {
    Object value = WsAnnotations.value(definition, "websocket." + name + "." + attribute);
    return Optional.ofNullable(value != null ? value : WsAnnotations.value(definition, "ws." + name + "." + attribute));
  }

  /** A changeable copy of map data, so that formats may take elements out. */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> mutable(Object data) {
    return data instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
  }

  static void put(Map<String, Object> result, String key, Object value) {
    if (value != null) {
      result.put(key, value);
    }
  }
}
