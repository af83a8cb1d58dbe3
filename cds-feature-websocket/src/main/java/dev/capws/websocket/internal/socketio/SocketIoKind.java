package dev.capws.websocket.internal.socketio;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;

import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.OpenConnections;
import dev.capws.websocket.internal.format.Formats;
import dev.capws.websocket.internal.handshake.HandshakeServlet.Caller;
import dev.capws.websocket.internal.inbound.InboundDispatcher;
import dev.capws.websocket.internal.metrics.Traffic;
import dev.capws.websocket.internal.model.EndpointCatalog;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;

/**
 * The socket.io kind's parts, wired once per runtime: events are framed as Socket.IO packets when they are composed
 * (see {@link SocketIoFraming}), and Engine.IO is served at its path instead of the plain WebSocket endpoints.
 */
public final class SocketIoKind {

  /** Engine.IO's default, used when the heartbeat is off (then clients drop after interval and timeout). */
  private static final long DEFAULT_PING_INTERVAL = 25_000;

  private final SocketIoSettings settings;
  private final EngineSessions sessions = new EngineSessions();
  private final SocketIoHandler handler;
  private final OpenConnections open;
  private final Limits limits;
  /** Where the sessions' frames and bytes are counted, with the plain kind's (the meters). */
  private final Traffic traffic;

  public SocketIoKind(SocketIoSettings settings, EndpointCatalog catalog, ConnectionRegistry registry,
      InboundDispatcher inbound, OpenConnections open, Limits limits, Formats formats, Traffic traffic) {
    this.settings = settings;
    this.open = open;
    this.limits = limits;
    this.traffic = traffic;
    long interval = limits.heartbeatMillis() > 0 ? limits.heartbeatMillis() : DEFAULT_PING_INTERVAL;
    this.handler = new SocketIoHandler(sessions, catalog, registry, inbound, new SocketIoHandler.OpenPacket(
        settings.upgrades(), interval, settings.pingTimeoutMillis(), limits.maxMessageSize()));
    formats.frameWith(SocketIoFraming.forCatalog(catalog));
  }

  /** Where Engine.IO is served ({@code /socket.io}). */
  public String path() {
    return settings.path();
  }

  /** @param currentCaller who sends the request being handled, read on the request thread */
  public HttpServlet servlet(Supplier<Caller> currentCaller) {
    return new SocketIoServlet(settings, sessions, handler, open, limits, traffic, currentCaller);
  }
}
