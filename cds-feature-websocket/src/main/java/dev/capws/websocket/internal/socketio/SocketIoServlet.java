package dev.capws.websocket.internal.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.OpenConnections;
import dev.capws.websocket.internal.connection.RateLimiter;
import dev.capws.websocket.internal.connection.WebSocketUpgrade;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.handshake.HandshakeServlet;
import dev.capws.websocket.internal.handshake.HandshakeServlet.Caller;
import dev.capws.websocket.internal.handshake.OriginCheck;
import dev.capws.websocket.internal.metrics.Traffic;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * Engine.IO's HTTP side at {@code /socket.io/}: the handshake (by long-polling or straight by WebSocket), the polls
 * (GET) and the client's packets (POST) of long-polling sessions. Served through CAP's protocol-adapter SPI like the
 * plain WebSocket endpoints, so every one of these requests passes CAP's security filters; the user of each later
 * request must be the one who opened the session. Origins and the limits are checked as for plain WebSocket.
 */
public final class SocketIoServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SocketIoServlet.class);
  private static final OutboundFrame PING = OutboundFrame.text(SocketIoWire.PING);

  private final transient SocketIoSettings settings;
  private final transient EngineSessions sessions;
  private final transient SocketIoHandler handler;
  private final transient OpenConnections open;
  private final transient Limits limits;
  private final transient Traffic traffic;
  private final transient Supplier<Caller> currentCaller;

  SocketIoServlet(SocketIoSettings settings, EngineSessions sessions, SocketIoHandler handler, OpenConnections open,
      Limits limits, Traffic traffic, Supplier<Caller> currentCaller) {
    this.settings = settings;
    this.sessions = sessions;
    this.handler = handler;
    this.open = open;
    this.limits = limits;
    this.traffic = traffic;
    this.currentCaller = currentCaller;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<EngineSession> session = admitted(request, response);
    if (session == null) {
      return;
    }
    boolean websocket = "websocket".equals(request.getParameter("transport"));
    if (session.isEmpty()) {
      if (websocket) {
        openWebSocket(request, response);
      } else {
        openPolling(request, response);
      }
    } else if (websocket) {
      upgrade(session.get(), request, response);
    } else {
      poll(session.get(), request, response);
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<EngineSession> found = admitted(request, response);
    if (found == null) {
      return;
    }
    if (found.isEmpty() || found.get().polling() == null) {
      refuse(response, 400, 3, "Bad request");
      return;
    }
    EngineSession session = found.get();
    Connection connection = session.connection();
    byte[] body = request.getInputStream().readNBytes(limits.maxMessageSize() + 1);
    if (body.length > limits.maxMessageSize()) { // as the Node server: the session ends
      connection.close(CloseCodes.TOO_BIG, "Message too big");
      refuse(response, 413, 3, "Payload too large");
      return;
    }
    if (connection.isExpired(Instant.now())) {
      connection.close(CloseCodes.POLICY_VIOLATION, "Token expired");
      refuse(response, 400, 3, "Token expired");
      return;
    }
    connection.alive();
    for (String packet : new String(body, StandardCharsets.UTF_8).split("\u001e")) {
      if (session.rate().tryAcquire()) {
        handler.received(connection, packet);
      } else {
        handler.throttled(connection, packet);
      }
    }
    response.setContentType("text/html");
    response.getWriter().write("ok");
  }

  /**
   * The checks every request passes: the path, the protocol version, the transport, the origin, and for a session,
   * that it exists and belongs to the caller. Null when the request was refused; empty for a handshake.
   */
  private Optional<EngineSession> admitted(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!path.equals(settings.path()) && !path.equals(settings.path() + "/")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "Socket.IO is served at " + settings.path() + "/");
      return null;
    }
    String transport = request.getParameter("transport");
    if (!"polling".equals(transport) && !"websocket".equals(transport)) {
      refuse(response, 400, 0, "Transport unknown");
      return null;
    }
    if (!"4".equals(request.getParameter("EIO"))) {
      refuse(response, 400, 5, "Unsupported protocol version");
      return null;
    }
    if (!OriginCheck.allows(request, limits.allowedOrigins())) {
      refuse(response, 403, 4, "Origin not allowed");
      return null;
    }
    String sid = request.getParameter("sid");
    if (sid == null) {
      if (!open.accepting()) {
        refuse(response, 503, 4, "The server is shutting down");
        return null;
      }
      // Sessions count before they join a namespace (and the registry's own limits apply then): a client cannot
      // hold more sessions than the instance may have connections.
      if (open.all().size() >= limits.maxConnections()) {
        refuse(response, 503, 4, "Too many connections");
        return null;
      }
      return Optional.empty();
    }
    Optional<EngineSession> session = sessions.bySid(sid);
    if (session.isEmpty()) {
      refuse(response, 400, 1, "Session ID unknown");
      return null;
    }
    if (!session.get().owner().equals(owner(currentCaller.get().user()))) {
      refuse(response, 403, 4, "Not the user of this session");
      return null;
    }
    return session;
  }

  private void openPolling(HttpServletRequest request, HttpServletResponse response) {
    EngineSession session = session(request);
    Connection connection = session.connection();
    PollingTransport polling = new PollingTransport(limits.outboundQueueBytes(),
        handler.openPacket().pingInterval() + handler.openPacket().pingTimeout(), connection::transportGone);
    session.pollWith(polling);
    sessions.add(session);
    connection.attach(polling);
    connection.bindTransport(open, polling::endPoll, code -> handler.closed(connection, code));
    open.add(connection);
    polling.add(handler.openPacket().of(session));
    polling.poll(request.startAsync());
  }

  private void openWebSocket(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!acceptWebSocket(request, response)) {
      return;
    }
    EngineSession session = session(request);
    sessions.add(session);
    handOver(session, request, response);
  }

  /**
   * A long-polling session's upgrade: the socket is the session's from now on, but it carries only the probe until
   * the client switches (see {@link PollingTransport#probe}).
   */
  private void upgrade(EngineSession session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    PollingTransport polling = session.polling();
    if (polling == null || !settings.upgrades() || polling.upgrading()) {
      refuse(response, 400, 3, "Bad request");
      return;
    }
    if (!acceptWebSocket(request, response)) {
      return;
    }
    session.connection().takeSocketOutput(polling::socketArrived);
    handOver(session, request, response);
  }

  /** Checks the WebSocket handshake and answers it (the 101 follows when the servlet returns). */
  private static boolean acceptWebSocket(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String key = request.getHeader("Sec-WebSocket-Key");
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade")) || key == null || key.isBlank()
        || !"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
      refuse(response, 400, 3, "Bad request");
      return false;
    }
    response.setHeader("Upgrade", "websocket");
    response.setHeader("Connection", "Upgrade");
    response.setHeader("Sec-WebSocket-Accept", HandshakeServlet.accept(key.trim()));
    return true;
  }

  private void handOver(EngineSession session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      request.upgrade(WebSocketUpgrade.class).bind(session.connection(), handler, open, limits);
      // After the handler's own close hook (wsDisconnect goes by the session), and also when the container drops
      // the socket before it starts, which runs no hook: the session does not outlive its connection.
      session.connection().onClosed(code -> sessions.remove(session));
    } catch (ServletException | IOException | RuntimeException e) {
      if (session.polling() == null) {
        sessions.remove(session);
      }
      LOG.error("Socket.IO upgrade failed", e);
      if (!response.isCommitted()) {
        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "WebSocket upgrade failed");
      }
    }
  }

  /** A new session of the caller; it serves no service until the client connects to a namespace. */
  private EngineSession session(HttpServletRequest request) {
    Caller caller = currentCaller.get();
    Connection connection = new Connection(WebSocketEndpoint.route(settings.path()), caller.user(),
        request.getParameter("id"), limits, traffic);
    caller.tokenExpiry().ifPresent(connection::expiresAt);
    connection.pingWith(PING); // Engine.IO's heartbeat is a packet of its own, on either transport
    return new EngineSession(connection, owner(caller.user()), new RateLimiter(limits.maxMessagesPerSecond()));
  }

  private static void poll(EngineSession session, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    PollingTransport polling = session.polling();
    if (polling == null) {
      refuse(response, 400, 3, "Bad request");
      return;
    }
    AsyncContext poll = request.startAsync();
    if (!polling.poll(poll)) { // Engine.IO: a second poll while one waits ends the session
      session.connection().close(CloseCodes.PROTOCOL_ERROR, "Overlapping polls");
      refuse((HttpServletResponse) poll.getResponse(), 400, 3, "Bad request");
      poll.complete();
    }
  }

  private static String owner(UserInfo user) {
    return user.getTenant() + "/" + user.getName();
  }

  /** Engine.IO's error answer: a JSON body with its error code. */
  private static void refuse(HttpServletResponse response, int status, int code, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    ObjectNode body = JsonFrames.objectNode(); // in the Node server's order
    body.put("code", code);
    body.put("message", message);
    response.getWriter().write(JsonFrames.write(body));
  }
}
