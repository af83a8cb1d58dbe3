package dev.capws.websocket.api;

import java.util.Locale;

/** How the layers of a targeting (users, roles, contexts, identifiers) combine. */
public enum Operator {
  /** A client matches if it matches any layer (the default). */
  OR,
  /** A client matches only if it matches every layer. */
  AND;

  /** As it is written in settings, annotations and headers: {@code "and"} or {@code "or"}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code "and"} or {@code "or"} in any case; anything else, and null, is {@code fallback}. */
  public static Operator of(Object value, Operator fallback) {
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    return "and".equalsIgnoreCase(text) ? AND : "or".equalsIgnoreCase(text) ? OR : fallback;
  }
}
