package dev.capws.websocket.internal.targeting;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.connection.Connection;

/**
 * The clients of one service in one tenant, indexed by user, role, context and identifier, so that a targeted event
 * looks only at the clients it names instead of testing every connection.
 */
final class ClientGroup {

  private final Set<Connection> all = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> byRole = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> byContext = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> byIdentifier = new ConcurrentHashMap<>();

  void add(Connection connection) {
    all.add(connection);
    index(byUser, connection.user().getName(), connection);
    connection.user().getRoles().forEach(role -> index(byRole, role, connection));
    index(byIdentifier, connection.identifier(), connection);
    connection.contexts().forEach(context -> index(byContext, context, connection));
  }

  void remove(Connection connection) {
    all.remove(connection);
    unindex(byUser, connection.user().getName(), connection);
    connection.user().getRoles().forEach(role -> unindex(byRole, role, connection));
    unindex(byIdentifier, connection.identifier(), connection);
    connection.contexts().forEach(context -> unindex(byContext, context, connection));
  }

  void enter(Connection connection, String context) {
    index(byContext, context, connection);
  }

  void exit(Connection connection, String context) {
    unindex(byContext, context, connection);
  }

  Collection<Connection> all() {
    return all;
  }

  /** The clients a targeting selects, found through the indexes. */
  Collection<Connection> select(Targeting targeting) {
    if (!targeting.hasIncludes()) {
      if (!targeting.hasExcludes() && !targeting.hasCallerExcludes()) {
        return all;
      }
      // everyone but a few (e.g. all but the sender): filter the live set instead of copying it
      Set<Connection> excluded = excluded(targeting);
      return excluded.isEmpty() ? all : new AbstractCollection<>() {
        @Override
        public Iterator<Connection> iterator() {
          return all.stream().filter(c -> !excluded.contains(c)).iterator();
        }

        @Override
        public int size() {
          return (int) all.stream().filter(c -> !excluded.contains(c)).count();
        }
      };
    }
    Set<Connection> selected;
    if (targeting.includeOperator() == Operator.AND) {
      selected = null; // the intersection of the layers that have includes
      for (Set<Connection> layer : layers(targeting, Targeting.Layer::include)) {
        if (selected == null) {
          selected = new HashSet<>(layer);
        } else {
          selected.retainAll(layer);
        }
      }
    } else {
      selected = new HashSet<>();
      for (Set<Connection> layer : layers(targeting, Targeting.Layer::include)) {
        selected.addAll(layer);
      }
    }
    if (!selected.isEmpty()) {
      selected.removeAll(excluded(targeting));
    }
    return selected;
  }

  /**
   * The clients the exclusions take out: those of the targeting's own layers, and, on their own, those an HTTP
   * caller asked for (which can so only add to them).
   */
  private Set<Connection> excluded(Targeting targeting) {
    Set<Connection> excluded = targeting.hasExcludes() ? excludedByLayers(targeting) : new HashSet<>();
    if (targeting.hasCallerExcludes()) {
      excluded.addAll(excludedByLayers(targeting.callerExcludes()));
    }
    return excluded;
  }

  /** The clients the exclude layers take out: matching any layer ({@code or}) or all of them ({@code and}). */
  private Set<Connection> excludedByLayers(Targeting targeting) {
    List<Set<Connection>> layers = layers(targeting, Targeting.Layer::exclude);
    if (targeting.excludeOperator() != Operator.AND) {
      Set<Connection> any = new HashSet<>();
      layers.forEach(any::addAll);
      return any;
    }
    Set<Connection> inAll = new HashSet<>(layers.get(0));
    layers.subList(1, layers.size()).forEach(inAll::retainAll);
    return inAll;
  }

  /** For each layer that has values on this side: the clients matching any of them. */
  private List<Set<Connection>> layers(Targeting targeting, Function<Targeting.Layer, Set<String>> side) {
    List<Set<Connection>> layers = new ArrayList<>(4);
    addLayer(layers, byUser, side.apply(targeting.users()));
    addLayer(layers, byRole, side.apply(targeting.roles()));
    addLayer(layers, byContext, side.apply(targeting.contexts()));
    addLayer(layers, byIdentifier, side.apply(targeting.identifiers()));
    return layers;
  }

  private static void addLayer(List<Set<Connection>> layers, Map<String, Set<Connection>> index, Set<String> values) {
    if (values.isEmpty()) {
      return;
    }
    Set<Connection> matching = new HashSet<>();
    for (String value : values) {
      Set<Connection> connections = index.get(value);
      if (connections != null) {
        matching.addAll(connections);
      }
    }
    layers.add(matching);
  }

  private static void index(Map<String, Set<Connection>> index, String key, Connection connection) {
    if (key != null) { // added inside compute, so that a concurrent unindex cannot drop the set under us
      index.compute(key, (k, set) -> {
        Set<Connection> connections = set == null ? ConcurrentHashMap.newKeySet() : set;
        connections.add(connection);
        return connections;
      });
    }
  }

  private static void unindex(Map<String, Set<Connection>> index, String key, Connection connection) {
    if (key != null) {
      index.computeIfPresent(key, (k, set) -> {
        set.remove(connection);
        return set.isEmpty() ? null : set;
      });
    }
  }
}
