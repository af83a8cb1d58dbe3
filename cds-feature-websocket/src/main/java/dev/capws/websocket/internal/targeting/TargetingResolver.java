package dev.capws.websocket.internal.targeting;

import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.sap.cds.reflect.CdsAnnotatable;
import com.sap.cds.reflect.CdsElement;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/**
 * Works out who receives an event, from every source the Node plugin reads, all of them added up: the event's
 * annotations (static values), its elements' annotations (values from the event data), the emit headers, and the
 * emitting user. The annotation and header names are those of the Node plugin, in all their spellings.
 */
public final class TargetingResolver {

  private static final List<String> PREFIXES = List.of("websocket.", "ws.", "websocket.broadcast.", "ws.broadcast.");
  private static final String INCLUDE_CURRENT = "includeCurrent";
  private static final String EXCLUDE_CURRENT = "excludeCurrent";

  private final Operator defaultInclude;
  private final Operator defaultExclude;

  /**
   * @param includeOperator {@code cds.websocket.operator.include}
   * @param excludeOperator {@code cds.websocket.operator.exclude}
   */
  public TargetingResolver(Operator includeOperator, Operator excludeOperator) {
    this.defaultInclude = includeOperator;
    this.defaultExclude = excludeOperator;
  }

  /**
   * @param declared the event's declaration, or null for an undeclared event (then only headers and operators count)
   */
  public Targeting resolve(CdsService service, CdsEvent declared, Map<?, ?> data, Map<String, Object> headers,
      String currentUser) {
    // Most events carry none of the plugin's annotations: one pass over the event's and its elements' annotations
    // spares the hundreds of lookups by name below (4 layers, 4 prefixes, their spellings, on the event and on every
    // element), which were most of the plugin's share of a create in a JFR profile.
    CdsEvent event = declared != null && carriesOurs(declared) ? declared : null;
    Layer users = layer(event, data, headers, "user", "User")
        .plus(currentUser(event, data, headers, currentUser));
    Layer roles = layer(event, data, headers, "role", "Role");
    Layer contexts = layer(event, data, headers, "context", "Context");
    Layer identifiers = layer(event, data, headers, "identifier", "Identifier");
    Operator exclude = operator(service, event, headers, "exclude", defaultExclude);
    return new Targeting(users, roles, contexts, identifiers,
        operator(service, event, headers, "include", defaultInclude), exclude,
        callerExcludes(headers, currentUser, exclude));
  }

  /**
   * What the HTTP request asked to leave out ({@code x-ws-*-exclude}), as a targeting of its own, or null: only
   * headers count, with the same exclude operator.
   */
  private static Targeting callerExcludes(Map<String, Object> headers, String currentUser, Operator exclude) {
    if (headers == null || !(headers.get(HttpHeaders.CALLER_EXCLUDES) instanceof HttpHeaders.CallerExcludes caller)
        || caller.headers().isEmpty()) {
      return null;
    }
    Map<String, Object> named = caller.headers();
    Targeting excludes = new Targeting(
        layer(null, null, named, "user", "User").plus(currentUser(null, null, named, currentUser)),
        layer(null, null, named, "role", "Role"), layer(null, null, named, "context", "Context"),
        layer(null, null, named, "identifier", "Identifier"), Operator.OR, exclude);
    return excludes.hasExcludes() ? excludes : null;
  }

  private static boolean carriesOurs(CdsEvent event) {
    return WsAnnotations.hasAny(event) || event.elements().anyMatch(WsAnnotations::hasAny);
  }

  /** One layer: {@code @ws.<kind>}, {@code @ws.<kind>.include}, {@code @ws.<kind>.exclude} and the headers. */
  private static Layer layer(CdsEvent event, Map<?, ?> data, Map<String, Object> headers, String kind,
      String capitalized) {
    Set<String> include = new LinkedHashSet<>();
    Set<String> exclude = new LinkedHashSet<>();
    for (String prefix : PREFIXES) {
      annotated(event, data, prefix + kind, include);
      annotated(event, data, prefix + kind + ".include", include);
      annotated(event, data, prefix + kind + ".exclude", exclude);
    }
    for (String name : List.of("ws" + capitalized + "s", "ws" + capitalized, kind + "s", kind,
        "ws" + capitalized + ".include", "ws" + capitalized + "Include", kind + ".include", kind + "Include")) {
      addValues(include, header(headers, name));
    }
    for (String name : List.of("ws" + capitalized + ".exclude", "ws" + capitalized + "Exclude", kind + ".exclude",
        kind + "Exclude")) {
      addValues(exclude, header(headers, name));
    }
    return new Layer(include, exclude);
  }

  /** Static values on the event; values of the data for annotated elements. */
  private static void annotated(CdsEvent event, Map<?, ?> data, String annotation, Set<String> values) {
    Object value = annotation(event, annotation);
    if (isValue(value) && !isCurrentUserKeyword(value)) {
      addValues(values, value);
    }
    if (data == null) {
      return;
    }
    elements(event).forEach(element -> {
      Object marker = annotation(element, annotation);
      if (isTruthy(marker) && !isCurrentUserKeyword(marker)) {
        addValues(values, data.get(element.getName()));
      }
    });
  }

  /** The emitting user, included or excluded by annotation ({@code includeCurrent}, ...) or header. */
  private static Layer currentUser(CdsEvent event, Map<?, ?> data, Map<String, Object> headers, String user) {
    if (user == null) {
      return Layer.NONE;
    }
    boolean include = false;
    boolean exclude = false;
    for (String prefix : PREFIXES) {
      include |= marked(event, data, prefix + "currentUser", null)
          || marked(event, data, prefix + "currentUser.include", Boolean.TRUE)
          || marked(event, data, prefix + "user", INCLUDE_CURRENT);
      exclude |= marked(event, data, prefix + "currentUser.exclude", Boolean.TRUE)
          || marked(event, data, prefix + "user", EXCLUDE_CURRENT);
    }
    for (String name : List.of("wsCurrentUser", "currentUser", "wsCurrentUser.include", "wsCurrentUserInclude",
        "currentUser.include", "currentUserInclude")) {
      include |= isTruthy(header(headers, name));
    }
    for (String name : List.of("wsCurrentUser.exclude", "wsCurrentUserExclude", "currentUser.exclude",
        "currentUserExclude")) {
      exclude |= isTruthy(header(headers, name));
    }
    return new Layer(include ? Set.of(user) : Set.of(), exclude ? Set.of(user) : Set.of());
  }

  /**
   * Whether the event carries the annotation (with the expected value, or any truthy one), or an element carries it
   * and the data's value for that element is truthy.
   */
  private static boolean marked(CdsEvent event, Map<?, ?> data, String annotation, Object expected) {
    if (matches(annotation(event, annotation), expected)) {
      return true;
    }
    return data != null && elements(event).anyMatch(
        element -> matches(annotation(element, annotation), expected) && isTruthy(data.get(element.getName())));
  }

  private static boolean matches(Object value, Object expected) {
    return expected == null ? isTruthy(value) : expected.equals(value);
  }

  private static Operator operator(CdsService service, CdsEvent event, Map<String, Object> headers, String side,
      Operator fallback) {
    Object header = header(headers, "operator" + capitalize(side));
    if (header == null) {
      header = header(headers, side + "Operator");
    }
    Object value = header != null ? header
        : Optional.ofNullable(annotation(event, "websocket.operator." + side))
            .or(() -> Optional.ofNullable(annotation(event, "ws.operator." + side)))
            .or(() -> Optional.ofNullable(annotation(service, "websocket.operator." + side)))
            .or(() -> Optional.ofNullable(annotation(service, "ws.operator." + side))).orElse(null);
    return Operator.of(value, fallback);
  }

  /** The event's elements that take part: those without {@code @ws.ignore}. */
  static Stream<CdsElement> elements(CdsEvent event) {
    return event == null ? Stream.empty() : event.elements().filter(element -> !WsAnnotations.isIgnored(element));
  }

  private static Object annotation(CdsAnnotatable definition, String name) {
    return definition == null ? null : WsAnnotations.value(definition, name);
  }

  /** A header by its flat name, or by its path into nested maps ({@code user.include}). */
  static Object header(Map<String, Object> headers, String name) {
    if (headers == null) {
      return null;
    }
    if (headers.containsKey(name)) {
      Object value = headers.get(name);
      return value instanceof Map<?, ?> ? null : value;
    }
    Object node = headers;
    for (String part : name.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node instanceof Map<?, ?> ? null : node;
  }

  private static boolean isCurrentUserKeyword(Object value) {
    return INCLUDE_CURRENT.equals(value) || EXCLUDE_CURRENT.equals(value);
  }

  private static boolean isValue(Object value) {
    return value != null && !(value instanceof Boolean) && !(value instanceof Map<?, ?>);
  }

  private static boolean isTruthy(Object value) {
    return WsAnnotations.isTruthy(value);
  }

  /** Single values and lists, as text: dates in ISO-8601, structures as JSON, as the Node plugin writes them. */
  private static void addValues(Set<String> values, Object value) {
    if (value == null || value instanceof Map<?, ?>) {
      return;
    }
    if (value instanceof Collection<?> collection) {
      collection.forEach(item -> addValue(values, item));
    } else if (value instanceof Object[] array) {
      for (Object item : array) {
        addValue(values, item);
      }
    } else {
      addValue(values, value);
    }
  }

  private static void addValue(Set<String> values, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
      values.add(JsonFrames.write(value));
    } else if (value instanceof TemporalAccessor) {
      values.add(JsonFrames.text(value));
    } else if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
      values.add(String.valueOf(number.longValue())); // 5.0 from a header is the context "5", as in JavaScript
    } else {
      values.add(value.toString());
    }
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
