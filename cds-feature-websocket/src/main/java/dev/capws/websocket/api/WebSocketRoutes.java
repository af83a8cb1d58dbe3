package dev.capws.websocket.api;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.internal.configuration.WebSocketRuntime;

/** The custom routes of one CAP runtime. Routes can be added while the application runs. */
public interface WebSocketRoutes {

  /** The routes of this runtime. */
  static WebSocketRoutes of(CdsRuntime runtime) {
    return WebSocketRuntime.of(runtime).routes();
  }

  /**
   * Serves {@code path} (exactly, e.g. {@code /ws/echo}) with {@code route}. The path must lie below the plugin's
   * prefix ({@code cds.websocket.path}, {@code /ws} by default) and must not be a CDS service's path; such clashes
   * are refused when the client connects: the service wins.
   */
  WebSocketRoutes add(String path, WebSocketRoute route);

  void remove(String path);
}
