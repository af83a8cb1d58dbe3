package dev.capws.websocket.api;

import java.util.List;
import java.util.Set;

/**
 * The clients connected to this instance's WebSocket services, for a look from outside (an admin page, a health
 * check, a test): counts and descriptions, read-only. Custom routes' clients are not among them.
 */
public interface WebSocketClients {

  /** What is known about one connected client. */
  record Client(String connectionId, String service, String tenant, String user, String identifier,
      Set<String> contexts) {
  }

  /** How many clients are connected in all. */
  int count();

  /** The clients of one service in one tenant (null for a single-tenant application), as they are now. */
  List<Client> of(String service, String tenant);
}
