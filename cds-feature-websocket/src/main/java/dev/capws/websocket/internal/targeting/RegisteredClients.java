package dev.capws.websocket.internal.targeting;

import java.util.List;
import java.util.Set;

import dev.capws.websocket.api.WebSocketClients;

/** The registry as the application may see it: counts and snapshots, nothing to act with. */
public final class RegisteredClients implements WebSocketClients {

  private final ConnectionRegistry registry;

  public RegisteredClients(ConnectionRegistry registry) {
    this.registry = registry;
  }

  @Override
  public int count() {
    return registry.size();
  }

  @Override
  public List<Client> of(String service, String tenant) {
    return registry.connections(service, tenant).stream()
        .map(c -> new Client(String.valueOf(c.id()), service, c.tenant(), c.user().getName(), c.identifier(),
            Set.copyOf(c.contexts())))
        .toList();
  }
}
