package dev.capws.websocket.internal.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Node.js runtime's rule for a service's default path segment, so that clients written for
 * {@code @cap-js-community/websocket} find our endpoints at the same URLs.
 */
public final class EndpointPaths {

  private static final Pattern LOWER_TO_UPPER = Pattern.compile("([a-z0-9])([A-Z])");

  private EndpointPaths() {}

  /** {@code my.ns.FooBarService} becomes {@code foo-bar}; {@code Foo_Bar} becomes {@code foo-bar}. */
  public static String slug(String qualifiedServiceName) {
    String name = qualifiedServiceName.substring(qualifiedServiceName.lastIndexOf('.') + 1);
    if (name.endsWith("Service")) {
      name = name.substring(0, name.length() - "Service".length());
    }
    name = name.replace('_', '-');
    name = LOWER_TO_UPPER.matcher(name).replaceAll("$1-$2");
    return name.toLowerCase(Locale.ROOT);
  }

  /** A relative path goes below the prefix; an absolute one ({@code /x}) is used as it is. */
  public static String resolve(String prefix, String path) {
    if (path.startsWith("/")) {
      return path;
    }
    return normalizePrefix(prefix) + "/" + path;
  }

  /** {@code ws}, {@code /ws/} and {@code /ws} all mean {@code /ws}; an empty prefix means the root. */
  public static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix.trim();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
