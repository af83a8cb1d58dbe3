package dev.capws.websocket.internal.socketio;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.environment.CdsEnvironment;

/**
 * Which kind of server the services get, as the Node plugin's {@code cds.websocket.kind}: {@code ws} (plain
 * WebSocket, the default) or {@code socket.io}; and the few Engine.IO values of the latter.
 *
 * @param socketIo          whether the kind is {@code socket.io}
 * @param path              where Engine.IO is served ({@code /socket.io}, the client's default)
 * @param pingTimeoutMillis how long a client waits for a ping beyond the interval before it gives up (the
 *                          interval is {@code cds.websocket.heartbeat-interval})
 * @param upgrades          whether long-polling clients are offered the upgrade to WebSocket
 */
public record SocketIoSettings(boolean socketIo, String path, long pingTimeoutMillis, boolean upgrades) {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoSettings.class);

  public static final String KIND = "cds.websocket.kind";
  public static final String SOCKET_IO = "socket.io";

  public static SocketIoSettings from(CdsEnvironment env) {
    String kind = env.getProperty(KIND, String.class, "ws").trim().toLowerCase(Locale.ROOT);
    if (!SOCKET_IO.equals(kind) && !"ws".equals(kind)) {
      LOG.warn("Unknown {} '{}': serving plain WebSocket (ws); the kinds are ws and socket.io", KIND, kind);
    }
    return new SocketIoSettings(SOCKET_IO.equals(kind),
        env.getProperty("cds.websocket.socket-io.path", String.class, "/socket.io"),
        env.getProperty("cds.websocket.socket-io.ping-timeout", Long.class, 20_000L),
        env.getProperty("cds.websocket.socket-io.upgrades", Boolean.class, true));
  }
}
