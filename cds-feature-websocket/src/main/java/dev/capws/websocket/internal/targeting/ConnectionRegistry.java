package dev.capws.websocket.internal.targeting;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.Membership;

/**
 * The connections of the services' clients, grouped by service and tenant and indexed within each group, so that an
 * event finds its recipients without looking at anybody else's. Groups stay once created: there are only as many as
 * services times tenants. Admission counts against the connection limits.
 */
public final class ConnectionRegistry {

  /** Stands for "no tenant" in the index, since the index cannot hold null keys. */
  private static final String NO_TENANT = "";

  private final Map<String, Map<String, ClientGroup>> groups = new ConcurrentHashMap<>();
  private final Limits limits;
  /** Every admitted connection, custom routes' included: the limits count them all. */
  private final AtomicInteger total = new AtomicInteger();
  /** The admitted clients of custom routes: counted against the limits, not listed for events. */
  private final AtomicInteger routeClients = new AtomicInteger();
  /** Open connections per authenticated user (tenant and name); anonymous users share a name and are not counted. */
  private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
  /** Told of each (service, tenant) that gets its first client: the meters add a gauge for it. */
  private volatile BiConsumer<String, String> newGroups = (service, tenant) -> { };

  public ConnectionRegistry(Limits limits) {
    this.limits = limits;
  }

  /**
   * Admits the connection within the limits and indexes it, before it is shared with anyone; false if a limit is
   * reached. It stays listed until it ends. A custom route's client (no service) counts against the limits like any
   * other, since it holds the same socket and buffers, but is in no group: events never look for it.
   */
  public boolean add(Connection connection) {
    if (total.incrementAndGet() > limits.maxConnections()) {
      total.decrementAndGet();
      return false;
    }
    if (connection.user().isAuthenticated()) {
      boolean[] admitted = { true };
      perUser.compute(userKey(connection.user()), (key, count) -> {
        int open = count == null ? 0 : count;
        admitted[0] = open < limits.maxConnectionsPerUser();
        return admitted[0] ? open + 1 : count;
      });
      if (!admitted[0]) {
        total.decrementAndGet();
        return false;
      }
    }
    if (connection.endpoint().service() == null) {
      routeClients.incrementAndGet();
      connection.listedIn(new Listing(null));
      return true;
    }
    ClientGroup group = group(connection.endpoint().serviceName(), connection.tenant());
    group.add(connection);
    connection.listedIn(new Listing(group));
    return true;
  }

  /** The connection's entry: keeps the group's indexes and the counts in step with it. */
  private final class Listing implements Membership {
    /** Null for a custom route's client. */
    private final ClientGroup group;

    Listing(ClientGroup group) {
      this.group = group;
    }

    @Override
    public void entered(Connection connection, String context) {
      if (group != null) {
        group.enter(connection, context);
      }
    }

    @Override
    public void exited(Connection connection, String context) {
      if (group != null) {
        group.exit(connection, context);
      }
    }

    @Override
    public void left(Connection connection) {
      if (group != null) {
        group.remove(connection);
      } else {
        routeClients.decrementAndGet();
      }
      total.decrementAndGet();
      if (connection.user().isAuthenticated()) {
        perUser.computeIfPresent(userKey(connection.user()), (key, count) -> count <= 1 ? null : count - 1);
      }
    }
  }

  private static String userKey(UserInfo user) {
    return user.getTenant() + "/" + user.getName();
  }

  /** Every client of one service in one tenant (a live view). */
  public Collection<Connection> connections(String serviceName, String tenant) {
    ClientGroup group = existing(serviceName, tenant);
    return group == null ? List.of() : group.all();
  }

  /**
   * Who receives an envelope here: the clients of its service in its tenant that its targeting selects, less the
   * connection it excepts. The same rule for an event of this instance and one that came from another.
   */
  public Iterable<Connection> recipients(Envelope envelope) {
    ClientGroup group = existing(envelope.serviceName(), envelope.tenant());
    if (group == null) {
      return List.of();
    }
    Collection<Connection> selected = group.select(envelope.targeting());
    long except = envelope.except();
    String source = envelope.source();
    if (except == 0 && source == null) {
      return selected; // the common case: no per-recipient test at all
    }
    return () -> selected.stream().filter(c -> c.id() != except && (source == null || c.hears(source)))
        .iterator();
  }

  /**
   * Whether an envelope is for this one client: the rule of {@link #recipients} for a single connection (a client
   * catching up gets exactly what live delivery would have given it).
   */
  public static boolean isFor(Envelope envelope, Connection connection) {
    return envelope.serviceName().equals(connection.endpoint().serviceName())
        && Objects.equals(envelope.tenant(), connection.tenant()) && envelope.except() != connection.id()
        && (envelope.source() == null || connection.hears(envelope.source()))
        && envelope.targeting().selects(connection.user().getName(), connection.user().getRoles(),
            connection.contexts(), connection.identifier());
  }

  /** Looking up never creates a group: a tenant that only emits leaves nothing behind. */
  private ClientGroup existing(String serviceName, String tenant) {
    Map<String, ClientGroup> byTenant = groups.get(serviceName);
    return byTenant == null ? null : byTenant.get(tenant == null ? NO_TENANT : tenant);
  }

  /** How many clients of services are connected in all (custom routes' clients are not among them). */
  public int size() {
    return total.get() - routeClients.get();
  }

  private ClientGroup group(String serviceName, String tenant) {
    return groups.computeIfAbsent(serviceName, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(tenant == null ? NO_TENANT : tenant, t -> {
          newGroups.accept(serviceName, tenant);
          return new ClientGroup();
        });
  }

  /**
   * Tells {@code listener} of every (service, tenant) that has had clients, now and from now on (the tenant is null
   * for clients without one). Groups are never removed: a tenant whose clients left counts 0.
   */
  public void onGroups(BiConsumer<String, String> listener) {
    newGroups = listener;
    groups.forEach((service, byTenant) -> byTenant.keySet()
        .forEach(tenant -> listener.accept(service, NO_TENANT.equals(tenant) ? null : tenant)));
  }
}
