package dev.capws.websocket.internal.targeting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.capws.websocket.api.Operator;

/**
 * Who among the clients of a service in a tenant receives an event: users, roles, contexts and client identifiers,
 * each with values to include and to exclude. Layers with includes are combined with {@code or} (any matches) by
 * default or {@code and} (all must match); excludes likewise; an exclusion always wins over an inclusion. An empty
 * targeting means every client. Plain data: it can travel to other instances as it is.
 *
 * <p>{@code callerExcludes} holds what the HTTP request that caused the event asked to leave out
 * ({@code x-ws-*-exclude}), as a targeting with excludes only, applied on its own: a client it excludes is left out
 * whatever the rest says. Any HTTP caller can send these headers, so they may only ever take recipients away; with
 * the {@code and} exclude operator, adding them as further layers would make the annotated exclusion need to match
 * them too, and a header naming an unknown context would cancel it.
 */
public record Targeting(Layer users, Layer roles, Layer contexts, Layer identifiers, Operator includeOperator,
    Operator excludeOperator, Targeting callerExcludes) {

  /** Without exclusions asked for by an HTTP caller. */
  public Targeting(Layer users, Layer roles, Layer contexts, Layer identifiers, Operator includeOperator,
      Operator excludeOperator) {
    this(users, roles, contexts, identifiers, includeOperator, excludeOperator, null);
  }

  /** The values to include and to exclude in one layer; empty sets mean no condition. */
  public record Layer(Set<String> include, Set<String> exclude) {
    public static final Layer NONE = new Layer(Set.of(), Set.of());

    public Layer {
      include = Set.copyOf(include);
      exclude = Set.copyOf(exclude);
    }

    public Layer plus(Layer other) {
      return new Layer(union(include, other.include), union(exclude, other.exclude));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
      Set<String> all = new LinkedHashSet<>(a);
      all.addAll(b);
      return all;
    }
  }

  /**
   * Whether this targeting selects one client with these attributes: the rule the registry's indexes apply to many
   * clients at once ({@link ClientGroup#select}), for one client, as recovery needs it for each missed event.
   */
  public boolean selects(String user, Collection<String> roles, Collection<String> clientContexts,
      String identifier) {
    List<Boolean> included = new ArrayList<>(4);
    List<Boolean> excluded = new ArrayList<>(4);
    match(users, Collections.singleton(user), included, excluded);
    match(this.roles, roles, included, excluded);
    match(contexts, clientContexts, included, excluded);
    match(identifiers, Collections.singleton(identifier), included, excluded);
    boolean in = included.isEmpty() || (includeOperator == Operator.AND ? !included.contains(false)
        : included.contains(true));
    boolean out = !excluded.isEmpty() && (excludeOperator == Operator.AND ? !excluded.contains(false)
        : excluded.contains(true));
    return in && !out
        && (callerExcludes == null || callerExcludes.selects(user, roles, clientContexts, identifier));
  }

  /** For each side of the layer that has values: whether the client has any of them. */
  private static void match(Layer layer, Collection<String> values, List<Boolean> included,
      List<Boolean> excluded) {
    if (!layer.include().isEmpty()) {
      included.add(values.stream().filter(Objects::nonNull).anyMatch(layer.include()::contains));
    }
    if (!layer.exclude().isEmpty()) {
      excluded.add(values.stream().filter(Objects::nonNull).anyMatch(layer.exclude()::contains));
    }
  }

  public boolean hasIncludes() {
    return !users.include().isEmpty() || !roles.include().isEmpty() || !contexts.include().isEmpty()
        || !identifiers.include().isEmpty();
  }

  /** Whether its own layers exclude anybody (the caller's exclusions not counted). */
  public boolean hasExcludes() {
    return !users.exclude().isEmpty() || !roles.exclude().isEmpty() || !contexts.exclude().isEmpty()
        || !identifiers.exclude().isEmpty();
  }

  /** Whether an HTTP caller asked to leave anybody out. */
  public boolean hasCallerExcludes() {
    return callerExcludes != null && callerExcludes.hasExcludes();
  }
}
