package dev.capws.websocket.internal.connection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection of this instance, services' and custom routes' alike (for the heartbeat and the shutdown),
 * whether new ones are accepted, and where the application's hooks run once one has closed.
 */
public final class OpenConnections {

  /**
   * The heartbeat's slices of a round are made of these buckets (a connection's bucket is its id modulo their
   * number), so that each slice visits its own connections instead of every connection (15,000 of them, 10 times a
   * second, took 3-4 % of a core). 300: one per 100 ms slice of the default 30 s interval.
   */
  static final int BUCKETS = 300;

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  @SuppressWarnings("unchecked")
  private final Set<Connection>[] buckets = new Set[BUCKETS];
  private final ClosingHooks hooks;
  private volatile boolean accepting = true;

  public OpenConnections(ClosingHooks hooks) {
    this.hooks = hooks;
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = ConcurrentHashMap.newKeySet();
    }
  }

  ClosingHooks hooks() {
    return hooks;
  }

  public void add(Connection connection) {
    open.add(connection);
    bucket(connection).add(connection);
  }

  public void remove(Connection connection) {
    open.remove(connection);
    bucket(connection).remove(connection);
  }

  private Set<Connection> bucket(Connection connection) {
    return buckets[(int) (connection.id() % BUCKETS)];
  }

  /**
   * The connections of one of a round's slices: those in the buckets whose number modulo slices is this slice. A
   * connection is always in the same slice for the same number of slices.
   */
  List<Connection> slice(int slice, int slices) {
    List<Connection> due = new ArrayList<>();
    for (int b = slice; b < BUCKETS; b += slices) {
      due.addAll(buckets[b]);
    }
    return due;
  }

  /**
   * Takes the connection out of the listing unless the container has handed its socket over ({@link #add}) within
   * the close timeout. A connection is listed for events before its 101 goes out, and a container never starts one
   * whose client reset the connection at once (the 101 cannot be written): nothing else would take it out. It never
   * opened, so no hook runs for it. If it started and ended meanwhile, it has left already.
   */
  public void expectStart(Connection connection) {
    CloseHandshake.afterTimeout(() -> {
      if (!open.contains(connection)) {
        connection.leave();
      }
    });
  }

  /** A live, read-only view. */
  public Set<Connection> all() {
    return Collections.unmodifiableSet(open);
  }

  public boolean accepting() {
    return accepting;
  }

  /** Refuses new connections from now on; false if that was already so. */
  public synchronized boolean stopAccepting() {
    boolean was = accepting;
    accepting = false;
    return was;
  }
}
