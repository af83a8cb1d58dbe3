package dev.capws.websocket.transport;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections, grouped by service and tenant and indexed within each group, so that a broadcast finds its
 * recipients without looking at anybody else's. Groups stay once created: there are only as many as services times
 * tenants.
 */
public final class ConnectionRegistry {

  /** Stands for "no tenant" in the index, since the index cannot hold null keys. */
  private static final String NO_TENANT = "";

  private final Map<String, Map<String, ClientGroup>> groups = new ConcurrentHashMap<>();

  void add(Connection connection) {
    connection.joined(group(connection.endpoint().serviceName(), connection.tenant()));
  }

  void remove(Connection connection) {
    connection.left();
  }

  /** Every client of one service in one tenant (a live view). */
  public Collection<Connection> connections(String serviceName, String tenant) {
    return group(serviceName, tenant).all();
  }

  /** The clients of one service in one tenant that a targeting selects. */
  public Collection<Connection> select(String serviceName, String tenant, Targeting targeting) {
    return group(serviceName, tenant).select(targeting);
  }

  /** How many clients are connected in all. */
  public int size() {
    return groups.values().stream().flatMap(m -> m.values().stream()).mapToInt(g -> g.all().size()).sum();
  }

  private ClientGroup group(String serviceName, String tenant) {
    return groups.computeIfAbsent(serviceName, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(tenant == null ? NO_TENANT : tenant, t -> new ClientGroup());
  }
}
