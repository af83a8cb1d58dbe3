package dev.capws.websocket.internal.handshake;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.api.WebSocketRoutes;

/** The application's custom routes, by exact path. */
public final class RouteTable implements WebSocketRoutes {

  private final Map<String, WebSocketRoute> byPath = new ConcurrentHashMap<>();

  @Override
  public WebSocketRoutes add(String path, WebSocketRoute route) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("A route path starts with /: " + path);
    }
    byPath.put(path, route);
    return this;
  }

  @Override
  public void remove(String path) {
    byPath.remove(path);
  }

  Optional<WebSocketRoute> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }
}
