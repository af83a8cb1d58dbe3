package dev.capws.websocket.internal.socketio;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.capws.websocket.internal.connection.Connection;

/** The Engine.IO sessions of this instance, by session id (for polls and upgrades) and by connection. */
final class EngineSessions {

  private final Map<String, EngineSession> bySid = new ConcurrentHashMap<>();
  private final Map<Connection, EngineSession> byConnection = new ConcurrentHashMap<>();

  void add(EngineSession session) {
    bySid.put(session.sid(), session);
    byConnection.put(session.connection(), session);
  }

  void remove(EngineSession session) {
    bySid.remove(session.sid());
    byConnection.remove(session.connection());
  }

  Optional<EngineSession> bySid(String sid) {
    return sid == null ? Optional.empty() : Optional.ofNullable(bySid.get(sid));
  }

  Optional<EngineSession> of(Connection connection) {
    return Optional.ofNullable(byConnection.get(connection));
  }
}
