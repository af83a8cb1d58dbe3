package dev.capws.websocket.internal.targeting;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Emit headers taken from the HTTP request that caused the event: {@code x-ws-<name>} and {@code x-websocket-<name>}
 * become the header {@code <name>} in camel case ({@code x-ws-identifier-exclude: abc} is
 * {@code identifierExclude: "abc"}), with "true", "false" and numbers read as such, as in the Node plugin. This is
 * how an OData request names its client's {@code ?id=} so that the client's own socket can be left out. Since any
 * caller can send such headers, only those that leave recipients out are taken, unless
 * {@code cds.websocket.http-header-includes} allows the others too (the Node plugin takes all). The headers that
 * leave recipients out are kept apart, under {@link #CALLER_EXCLUDES}: they are applied on their own
 * ({@link Targeting#callerExcludes}), so that they can never cancel an exclusion of the application.
 */
public final class HttpHeaders {

  /** The emit header under which the exclusions an HTTP caller asked for are kept apart. */
  public static final String CALLER_EXCLUDES = "@http-excludes";

  /** The exclude headers of the HTTP request, by emit header name; a type of its own, so no emit header fakes it. */
  public record CallerExcludes(Map<String, Object> headers) {

    /** Without the names the application set in Java: those override the caller's. */
    public CallerExcludes without(java.util.Collection<?> names) {
      Map<String, Object> left = new LinkedHashMap<>(headers);
      names.forEach(left::remove);
      return new CallerExcludes(left);
    }
  }

  private static final Pattern DASH_LETTER = Pattern.compile("[-_]([a-z])");

  private HttpHeaders() {}

  /**
   * @param httpHeaders the request's headers, or null
   * @param format     the event's format: {@code x-ws-<format>-<name>} goes to the format's own section,
   *                   {@code ws.<format>.<name>}, as in the Node plugin ({@code x-ws-cloudevent-subject})
   * @param narrowOnly keep only headers that can take recipients away (excludes) and format attributes: any HTTP
   *                   caller can set these headers, so by default they must not widen who receives an event
   */
  public static Map<String, Object> emitHeaders(Map<String, String> httpHeaders, String format, boolean narrowOnly) {
    Map<String, Object> headers = new LinkedHashMap<>();
    if (httpHeaders == null) {
      return headers;
    }
    httpHeaders.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      String rest = lower.startsWith("x-websocket-") ? lower.substring("x-websocket-".length())
          : lower.startsWith("x-ws-") ? lower.substring("x-ws-".length()) : null;
      if (rest == null || rest.isEmpty()) {
        return;
      }
      if (rest.startsWith(format + "-")) {
        formatSection(headers, format).put(camelCase(rest.substring(format.length() + 1)), parse(value));
      } else if ((rest.endsWith("-exclude") || rest.endsWith(".exclude")) && !rest.startsWith("operator")) {
        callerExcludes(headers).put(camelCase(rest), parse(value));
      } else if (!narrowOnly) {
        headers.put(camelCase(rest), parse(value));
      }
    });
    return headers;
  }

  private static Map<String, Object> callerExcludes(Map<String, Object> headers) {
    return ((CallerExcludes) headers.computeIfAbsent(CALLER_EXCLUDES, k -> new CallerExcludes(new LinkedHashMap<>())))
        .headers();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> formatSection(Map<String, Object> headers, String format) {
    Map<String, Object> ws = (Map<String, Object>) headers.computeIfAbsent("ws", k -> new LinkedHashMap<>());
    return (Map<String, Object>) ws.computeIfAbsent(format, k -> new LinkedHashMap<>());
  }

  static String camelCase(String name) {
    Matcher matcher = DASH_LETTER.matcher(name);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(result, matcher.group(1).toUpperCase(Locale.ROOT));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static Object parse(String value) {
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.valueOf(value);
    }
    try {
      return Double.valueOf(value);
    } catch (NumberFormatException | NullPointerException e) {
      return value;
    }
  }
}
