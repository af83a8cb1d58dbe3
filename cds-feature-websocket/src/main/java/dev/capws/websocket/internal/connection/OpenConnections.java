package dev.capws.websocket.internal.connection;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection of this instance, services' and custom routes' alike (for the heartbeat and the shutdown),
 * whether new ones are accepted, and where the application's hooks run once one has closed.
 */
public final class OpenConnections {

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final ClosingHooks hooks;
  private volatile boolean accepting = true;

  public OpenConnections(ClosingHooks hooks) {
    this.hooks = hooks;
  }

  ClosingHooks hooks() {
    return hooks;
  }

  void add(Connection connection) {
    open.add(connection);
  }

  void remove(Connection connection) {
    open.remove(connection);
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
