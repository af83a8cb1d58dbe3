package dev.capws.websocket.internal.connection;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection of this instance, services' and custom routes' alike (for the heartbeat and the shutdown),
 * and whether new ones are accepted.
 */
public final class OpenConnections {

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting = true;

  public void add(Connection connection) {
    open.add(connection);
  }

  public void remove(Connection connection) {
    open.remove(connection);
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
