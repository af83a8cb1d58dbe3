package dev.capws.websocket.internal.format;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.reflect.CdsAnnotatable;
import com.sap.cds.reflect.CdsBaseType;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsParameter;
import com.sap.cds.reflect.CdsService;
import com.sap.cds.reflect.CdsSimpleType;

import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * SAP's Push Channel Protocol ({@code @ws.format: 'pcp'}), the format SAPUI5 and Fiori Elements speak: a message is
 * {@code name:value} lines, an empty line and a body. Events are written as {@code pcp-action}, {@code pcp-event},
 * {@code pcp-channel} and {@code pcp-body-type} lines, then the event's declared elements as fields, then the
 * message. An event marked {@code @ws.pcp.sideEffect} becomes a Fiori Elements side-effect trigger
 * ({@code serverAction:RaiseSideEffect}, {@code sideEffectEventName}) on the channel of
 * {@code @Common.WebSocketChannel}. A client message calls the operation whose {@code @ws.pcp.action} or name is its
 * {@code pcp-action} ({@code MESSAGE} if none); fields fill parameters, the body fills the parameter marked
 * {@code @ws.pcp.message}.
 */
public final class PcpFormat implements WebSocketFormat {

  /** The subprotocol of PCP version 1.0. */
  public static final String SUBPROTOCOL = "v10.pcp.sap.com";

  private static final String MESSAGE = "MESSAGE";
  private static final String SEPARATOR = "\n\n";

  @Override
  public String name() {
    return "pcp";
  }

  /** What UI5's {@code SapPcpWebSocket} (and so Fiori elements) offers: it expects it back. */
  @Override
  public Set<String> subprotocols() {
    return Set.of(SUBPROTOCOL);
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    Map<String, Object> fields = GenericFormat.mutable(data);
    Object message = value(definition, fields, headers, "message", "");
    Object action = value(definition, fields, headers, "action", MESSAGE);
    boolean sideEffect = WsAnnotations.isTruthy(annotation(definition, "sideEffect"));
    Object eventAnnotation = annotation(definition, "event");
    String pcpEvent = eventAnnotation instanceof String text ? text
        : sideEffect || WsAnnotations.isTruthy(eventAnnotation) ? event : null;
    Object channel = Optional.ofNullable(annotation(definition, "channel"))
        .or(() -> sideEffect ? Optional.ofNullable(value(definition, "Common.WebSocketChannel")) : Optional.empty())
        .or(() -> sideEffect ? Optional.ofNullable(value(service, "Common.WebSocketChannel#sideEffects"))
            .or(() -> Optional.ofNullable(value(service, "Common.WebSocketChannel"))) : Optional.empty())
        .orElse(null);

    Map<String, Object> declared = declaredFields(definition, fields);
    String bodyType = message instanceof String ? "text" : "";
    if (sideEffect) {
      Map<String, Object> trigger = new LinkedHashMap<>();
      trigger.put("sideEffectSource", "");
      trigger.put("sideEffectEventName", pcpEvent);
      trigger.put("serverAction", "RaiseSideEffect");
      trigger.putAll(declared);
      declared = trigger;
      pcpEvent = null;
      bodyType = "";
      message = "";
    }
    StringBuilder frame = new StringBuilder();
    line(frame, "pcp-action", action);
    line(frame, "pcp-event", pcpEvent);
    line(frame, "pcp-channel", channel);
    line(frame, "pcp-body-type", bodyType);
    declared.forEach((name, value) -> {
      String text = text(value);
      if (!text.isEmpty() && !name.startsWith("pcp-")) {
        frame.append(escape(name)).append(':').append(escape(text)).append('\n');
      }
    });
    return frame.append('\n').append(text(message)).toString();
  }

  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    int split = message.indexOf(SEPARATOR);
    if (split < 0) {
      throw new FrameRejected(400, "INVALID_FRAME", "A PCP message needs fields, an empty line and a body");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : message.substring(0, split).split("\n")) {
      int colon = firstUnescapedColon(line);
      if (colon > 0) {
        fields.put(unescape(line.substring(0, colon)), unescape(line.substring(colon + 1)));
      }
    }
    String body = message.substring(split + SEPARATOR.length());
    String action = fields.getOrDefault("pcp-action", MESSAGE);
    Map.Entry<String, CdsOperation> operation = operations.entrySet().stream()
        .filter(e -> action.equals(annotation(e.getValue(), "action")) || action.equals(e.getKey())
            || action.equals(e.getValue().getName()))
        .findFirst().orElseThrow(() -> new FrameRejected(404, "UNKNOWN_EVENT", "No operation for pcp-action '"
            + action + "'"));
    ObjectNode parameters = JsonFrames.objectNode();
    operation.getValue().parameters().filter(p -> !WsAnnotations.isIgnored(p)).forEach(parameter -> {
      if (WsAnnotations.isTruthy(annotation(parameter, "message"))) {
        parameters.put(parameter.getName(), body);
      } else if (fields.containsKey(parameter.getName())) {
        parameters.set(parameter.getName(), typed(fields.get(parameter.getName()), parameter));
      }
    });
    return new ClientFrame(operation.getKey(), parameters, null, null);
  }

  /** The data's fields that the event declares and does not ignore. */
  private static Map<String, Object> declaredFields(CdsEvent definition, Map<String, Object> fields) {
    Map<String, Object> declared = new LinkedHashMap<>();
    if (fields != null && definition != null) {
      fields.forEach((name, value) -> definition.findElement(name).filter(e -> !WsAnnotations.isIgnored(e))
          .ifPresent(e -> declared.put(name, value)));
    }
    return declared;
  }

  /** A header, else an annotation value on the event, else the data of the element so annotated (taken out). */
  private static Object value(CdsEvent definition, Map<String, Object> data, Map<String, Object> headers,
      String field, Object fallback) {
    for (String header : List.of("pcp-" + field, "pcp_" + field, "pcp." + field, "pcp" + field)) {
      if (headers.get(header) != null) {
        return headers.get(header);
      }
    }
    if (definition == null) {
      return fallback;
    }
    Object fixed = annotation(definition, field);
    if (fixed != null) {
      return fixed;
    }
    if (data != null) {
      Optional<String> element = definition.elements()
          .filter(e -> !WsAnnotations.isIgnored(e) && WsAnnotations.isTruthy(annotation(e, field)))
          .map(e -> e.getName()).filter(data::containsKey).findFirst();
      if (element.isPresent()) {
        return data.remove(element.get());
      }
    }
    return fallback;
  }

  /** Field text as the parameter's type wants it: booleans and numbers as such, the rest as text. */
  private static JsonNode typed(String text, CdsParameter parameter) {
    if (parameter.getType().isSimple()) {
      CdsBaseType type = parameter.getType().as(CdsSimpleType.class).getType();
      if (type == CdsBaseType.BOOLEAN && ("true".equals(text) || "false".equals(text))) {
        return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text));
      }
      if (Number.class.isAssignableFrom(type.javaType()) && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
        BigDecimal number = new BigDecimal(text);
        return text.matches("-?\\d+") ? JsonNodeFactory.instance.numberNode(number.toBigInteger())
            : JsonNodeFactory.instance.numberNode(number);
      }
    }
    return JsonNodeFactory.instance.textNode(text);
  }

  private static void line(StringBuilder frame, String name, Object value) {
    if (value != null && !text(value).isEmpty()) {
      frame.append(name).append(':').append(text(value)).append('\n');
    }
  }

  /** As the Node plugin writes values: dates in ISO-8601, structures as JSON, null as "null". */
  private static String text(Object value) {
    if (value instanceof TemporalAccessor || value instanceof Map<?, ?> || value instanceof Collection<?>) {
      String json = JsonFrames.write(value);
      return value instanceof TemporalAccessor ? json.substring(1, json.length() - 1) : json;
    }
    return String.valueOf(value);
  }

  /** In one pass (a regular expression recursing per character would overflow the stack on long lines). */
  private static int firstUnescapedColon(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ':') {
        return i;
      }
    }
    return -1;
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("\n", "\\n");
  }

  private static String unescape(String text) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        result.append(next == 'n' ? '\n' : next);
      } else {
        result.append(c);
      }
    }
    return result.toString();
  }

  private static Object annotation(CdsAnnotatable definition, String name) {
    if (definition == null) {
      return null;
    }
    Object value = WsAnnotations.value(definition, "websocket.pcp." + name);
    return value != null ? value : WsAnnotations.value(definition, "ws.pcp." + name);
  }

  private static Object value(CdsAnnotatable definition, String annotation) {
    return definition == null ? null : WsAnnotations.value(definition, annotation);
  }
}
