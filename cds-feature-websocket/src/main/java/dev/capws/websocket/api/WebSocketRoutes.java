package dev.capws.websocket.api;

import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import com.sap.cds.services.runtime.CdsRuntime;

/** The custom routes of one CAP runtime. Routes can be added while the application runs. */
public final class WebSocketRoutes {

  private static final Map<CdsRuntime, WebSocketRoutes> ROUTES = new WeakHashMap<>();

  private final Map<String, WebSocketRoute> byPath = new ConcurrentHashMap<>();

  private WebSocketRoutes() {}

  public static WebSocketRoutes of(CdsRuntime runtime) {
    synchronized (ROUTES) {
      return ROUTES.computeIfAbsent(runtime, r -> new WebSocketRoutes());
    }
  }

  /**
   * Serves {@code path} (exactly, e.g. {@code /ws/echo}) with {@code route}. The path must lie below the plugin's
   * prefix ({@code cds.websocket.path}, {@code /ws} by default) and must not be a CDS service's path; such clashes
   * are refused when the client connects: the service wins.
   */
  public WebSocketRoutes add(String path, WebSocketRoute route) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("A route path starts with /: " + path);
    }
    byPath.put(path, route);
    return this;
  }

  public void remove(String path) {
    byPath.remove(path);
  }

  public Optional<WebSocketRoute> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }
}
