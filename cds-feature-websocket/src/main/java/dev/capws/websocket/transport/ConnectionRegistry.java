package dev.capws.websocket.transport;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections, indexed by service and tenant, so that a broadcast finds its recipients without looking at
 * anybody else's.
 */
public final class ConnectionRegistry {

  /** Stands for "no tenant" in the index, since the index cannot hold null keys. */
  private static final String NO_TENANT = "";

  private final Map<String, Map<String, Set<Connection>>> byServiceAndTenant = new ConcurrentHashMap<>();

  void add(Connection connection) {
    byServiceAndTenant.computeIfAbsent(connection.endpoint().serviceName(), s -> new ConcurrentHashMap<>())
        .computeIfAbsent(tenantKey(connection.tenant()), t -> ConcurrentHashMap.newKeySet()).add(connection);
  }

  void remove(Connection connection) {
    Map<String, Set<Connection>> byTenant = byServiceAndTenant.get(connection.endpoint().serviceName());
    if (byTenant != null) {
      byTenant.computeIfPresent(tenantKey(connection.tenant()), (t, set) -> {
        set.remove(connection);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /** The live view of the clients of one service in one tenant. */
  public Collection<Connection> connections(String serviceName, String tenant) {
    Map<String, Set<Connection>> byTenant = byServiceAndTenant.get(serviceName);
    if (byTenant == null) {
      return Set.of();
    }
    Set<Connection> set = byTenant.get(tenantKey(tenant));
    return set == null ? Set.of() : set;
  }

  /** How many clients are connected in all. */
  public int size() {
    return byServiceAndTenant.values().stream().flatMap(m -> m.values().stream()).mapToInt(Set::size).sum();
  }

  private static String tenantKey(String tenant) {
    return tenant == null ? NO_TENANT : tenant;
  }
}
