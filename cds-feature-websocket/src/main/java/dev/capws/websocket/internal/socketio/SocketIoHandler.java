package dev.capws.websocket.internal.socketio;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.FrameHandler;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.handshake.ServiceAccess;
import dev.capws.websocket.internal.inbound.InboundDispatcher;
import dev.capws.websocket.internal.model.EndpointCatalog;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;

/**
 * Reads what Socket.IO clients send, over either transport: Engine.IO packets (pong, close, upgrade) and, inside
 * them, Socket.IO packets. Connecting to a namespace lists the connection for that service's events; an event is
 * dispatched as a json frame would be (operations, CRUD events, {@code wsContext}) and, when the client asked for
 * an acknowledgement, the result or the error goes back in it. Malformed packets close the connection, as the
 * Node server does.
 */
final class SocketIoHandler implements FrameHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoHandler.class);

  private final EngineSessions sessions;
  private final EndpointCatalog catalog;
  private final ConnectionRegistry registry;
  private final InboundDispatcher inbound;
  private final OpenPacket open;

  /** What the open packet tells the client, besides the session id. */
  record OpenPacket(boolean upgrades, long pingInterval, long pingTimeout, int maxPayload) {
    /** As the Node server: only a long-polling session is offered the upgrade. */
    String of(EngineSession session) {
      return SocketIoWire.open(session.sid(), upgrades && session.polling() != null, pingInterval, pingTimeout,
          maxPayload);
    }
  }

  SocketIoHandler(EngineSessions sessions, EndpointCatalog catalog, ConnectionRegistry registry,
      InboundDispatcher inbound, OpenPacket open) {
    this.sessions = sessions;
    this.catalog = catalog;
    this.registry = registry;
    this.inbound = inbound;
    this.open = open;
  }

  OpenPacket openPacket() {
    return open;
  }

  /** A socket was handed over: a client that came by WebSocket directly gets the open packet first. */
  @Override
  public void opened(Connection connection) {
    sessions.of(connection).filter(session -> session.polling() == null)
        .ifPresent(session -> connection.send(open.of(session)));
  }

  @Override
  public void received(Connection connection, String message) {
    Optional<EngineSession> found = sessions.of(connection);
    if (found.isEmpty() || message.isEmpty()) {
      return;
    }
    EngineSession session = found.get();
    switch (message.charAt(0)) {
      case '4':
        socketIo(session, message.substring(1));
        break;
      case '3': // the answer to our ping
        connection.alive();
        break;
      case '1':
        connection.close(CloseCodes.NORMAL, "");
        break;
      case '6': // noop
        break;
      case '2': // the probe of an upgrade, on the new socket
        if (!("2probe".equals(message) && upgrade(session, false))) {
          violation(session, "Unexpected ping");
        }
        break;
      case '5': // the client switched to the socket
        if (!upgrade(session, true)) {
          violation(session, "Unexpected upgrade");
        }
        break;
      default:
        violation(session, "Unexpected Engine.IO packet");
    }
  }

  @Override
  public void throttled(Connection connection, String message) {
    LOG.debug("Dropped a message from {}: rate limit", connection);
    sessions.of(connection).ifPresent(session -> {
      try {
        SocketIoPacket packet = message.startsWith("4") ? SocketIoPacket.parse(message.substring(1)) : null;
        if (packet != null && packet.type() == SocketIoPacket.EVENT && packet.wantsAck()) {
          connection.send(SocketIoWire.ack(packet.namespace(), packet.ackId(),
              AckAnswer.error("RATE_LIMITED", "Too many messages: this one was dropped; slow down")));
        }
      } catch (IllegalArgumentException e) {
        LOG.trace("The dropped message is unreadable too", e);
      }
    });
  }

  @Override
  public void closed(Connection connection, int code) {
    sessions.of(connection).ifPresent(session -> {
      sessions.remove(session);
      if (session.namespace() != null) {
        inbound.closed(connection, code); // wsDisconnect, as for a plain WebSocket client
      }
    });
  }

  private void socketIo(EngineSession session, String text) {
    SocketIoPacket packet;
    try {
      packet = SocketIoPacket.parse(text);
    } catch (IllegalArgumentException e) {
      violation(session, e.getMessage());
      return;
    }
    switch (packet.type()) {
      case SocketIoPacket.CONNECT:
        connect(session, packet.namespace());
        break;
      case SocketIoPacket.DISCONNECT:
        if (packet.namespace().equals(session.namespace())) {
          session.connection().close(CloseCodes.NORMAL, "Client disconnected");
        }
        break;
      case SocketIoPacket.EVENT:
        if (packet.namespace().equals(session.namespace())) {
          event(session, packet);
        } else {
          LOG.debug("Dropped an event for namespace {} that {} is not connected to", packet.namespace(),
              session.connection());
        }
        break;
      default: // acknowledgements of server events: the server asks for none
        break;
    }
  }

  /**
   * The client joins a namespace: the service at that path. One per session: a second namespace over the same
   * session is refused (clients reach several services with {@code forceNew} or {@code multiplex: false}).
   */
  private void connect(EngineSession session, String namespace) {
    Connection connection = session.connection();
    if (namespace.equals(session.namespace())) {
      connection.send(SocketIoWire.connected(namespace, session.socketId()));
      return;
    }
    if (session.namespace() != null) {
      connection.send(SocketIoWire.connectError(namespace, "One namespace per connection: connect to "
          + namespace + " with the option forceNew"));
      return;
    }
    Optional<WebSocketEndpoint> endpoint = catalog.find(namespace);
    if (endpoint.isEmpty()) {
      connection.send(SocketIoWire.connectError(namespace, "Invalid namespace")); // the Node server's words
      return;
    }
    if (!ServiceAccess.mayConnect(endpoint.get().service(), connection.user())) {
      connection.send(SocketIoWire.connectError(namespace, "403"));
      return;
    }
    connection.serve(endpoint.get());
    connection.mayNotHear(ServiceAccess.unheardMixins(endpoint.get(), connection.user()));
    if (!registry.add(connection)) {
      connection.send(SocketIoWire.connectError(namespace, "Too many connections"));
      return;
    }
    session.connectedTo(namespace);
    // After listing: events committed once the client knows it is connected reach it.
    connection.send(SocketIoWire.connected(namespace, session.socketId()));
    inbound.opened(connection); // wsConnect
  }

  private void event(EngineSession session, SocketIoPacket packet) {
    Connection connection = session.connection();
    String event = packet.event();
    JsonNode data = packet.data() == null || packet.data().isNull() ? JsonFrames.objectNode() : packet.data();
    List<?> answer;
    try {
      Object result = inbound.dispatch(connection, event, data);
      boolean noContextOperation = WebSocketEndpoint.CONTEXT.equals(event)
          && connection.endpoint().operation(WebSocketEndpoint.CONTEXT).isEmpty();
      answer = noContextOperation ? List.of() : AckAnswer.result(result); // as the Node plugin: callback()
    } catch (RuntimeException e) {
      answer = AckAnswer.failure(event, connection, e);
    }
    if (packet.wantsAck()) {
      connection.send(SocketIoWire.ack(packet.namespace(), packet.ackId(), answer));
    }
  }

  /** The probe, then the switch, of a long-polling session's upgrade to WebSocket. */
  private static boolean upgrade(EngineSession session, boolean switching) {
    PollingTransport polling = session.polling();
    if (polling == null) {
      return false;
    }
    try {
      if (!switching) {
        return polling.probe();
      }
      if (!polling.switchToSocket()) {
        return false;
      }
    } catch (IOException e) {
      LOG.debug("The upgrade of {} failed", session.connection(), e);
      session.connection().transportGone();
      return true;
    }
    session.pollWith(null);
    LOG.debug("{} switched from long-polling to WebSocket", session.connection());
    return true;
  }

  /** A client that breaks the protocol is disconnected, as by the Node server ("parse error"). */
  private static void violation(EngineSession session, String reason) {
    LOG.debug("{} broke the Socket.IO protocol: {}", session.connection(), reason);
    session.connection().close(CloseCodes.PROTOCOL_ERROR, "Socket.IO protocol error");
  }
}
