package dev.capws.websocket.internal.model;

import com.sap.cds.reflect.CdsAnnotatable;
import com.sap.cds.reflect.CdsAnnotation;

/** Reading the plugin's annotations, which follow the Node plugin's JavaScript truthiness. */
public final class WsAnnotations {

  private WsAnnotations() {}

  /** The value of an annotation (name without {@code @}), or null. */
  public static Object value(CdsAnnotatable definition, String name) {
    return definition.findAnnotation(name).map(a -> a.getValue()).orElse(null);
  }

  /**
   * Whether the definition carries any of the plugin's annotations ({@code @ws...} or {@code @websocket...}), by one
   * pass over its annotations instead of lookups by name.
   */
  public static boolean hasAny(CdsAnnotatable definition) {
    return definition.annotations().map(CdsAnnotation::getName).anyMatch(WsAnnotations::isOurs);
  }

  private static boolean isOurs(String name) {
    String bare = name.startsWith("@") ? name.substring(1) : name;
    return bare.equals("ws") || bare.equals("websocket") || bare.startsWith("ws.") || bare.startsWith("websocket.");
  }

  /** {@code @ws.ignore} / {@code @websocket.ignore}: an element never sent, a parameter no client sets. */
  public static boolean isIgnored(CdsAnnotatable definition) {
    return isTruthy(value(definition, "websocket.ignore")) || isTruthy(value(definition, "ws.ignore"));
  }

  /** JavaScript's truthiness: null, false, 0 and "" are false. */
  public static boolean isTruthy(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof Number number) {
      return number.doubleValue() != 0;
    }
    return !(value instanceof String text) || !text.isEmpty();
  }
}
