package dev.capws.websocket.internal.handshake;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Protects against cross-site WebSocket hijacking: browsers send cookies with a cross-origin upgrade, so a page of
 * another site could otherwise act as the logged-in user. A browser's upgrade (it always sends {@code Origin}) is
 * allowed from the server's own origin and from the configured origins; clients that send no {@code Origin} (not
 * browsers) are not affected.
 */
public final class OriginCheck {

  private OriginCheck() {}

  public static boolean allows(HttpServletRequest request, List<String> allowed) {
    String origin = request.getHeader("Origin");
    if (origin == null || allowed.contains("*")) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    for (String entry : allowed) {
      if (normalized.equals(entry.trim().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return sameOrigin(normalized, request.getHeader("Host"));
  }

  /** The origin's host and port are those the request was sent to. */
  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
      String expected = host.toLowerCase(Locale.ROOT);
      return expected.equals(uri.getHost() + ":" + port)
          || (port == (("https".equals(uri.getScheme())) ? 443 : 80) && expected.equals(uri.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
