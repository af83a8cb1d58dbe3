package dev.capws.websocket.internal.handshake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.internal.broker.Recovery;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.FrameHandler;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.connection.OpenConnections;
import dev.capws.websocket.internal.connection.WebSocketUpgrade;
import dev.capws.websocket.internal.inbound.RouteHandler;
import dev.capws.websocket.internal.metrics.Traffic;
import dev.capws.websocket.internal.model.EndpointCatalog;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;

/**
 * Turns an HTTP request into a WebSocket connection. It runs behind CAP's security filters (it is served through
 * CAP's protocol-adapter SPI), so the user it captures is the authenticated user of the upgrade request. A path is
 * a service's endpoint or else an application's custom route; other paths get 404 and plain GETs 426, both before
 * any upgrade, except the browser client {@code <prefix>/client.js}, which a plain GET receives.
 */
public final class HandshakeServlet extends HttpServlet {

  /** The user of an upgrade request and, if it came with a token, when that expires. */
  public record Caller(UserInfo user, Optional<Instant> tokenExpiry) {
  }

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeServlet.class);

  /** What the servlet hands connections to. */
  public record Targets(EndpointCatalog catalog, RouteTable routes, ConnectionRegistry registry,
      OpenConnections open, FrameHandler services, Recovery recovery, Subprotocols subprotocols,
      Traffic traffic) {
  }

  private final transient Targets targets;
  private final transient Limits limits;
  private final transient Supplier<Caller> currentCaller;
  private final transient ClientScript clientScript;

  /**
   * @param targets       the services' endpoints and where their clients go; the application's own routes, served
   *                      where no service is
   * @param currentCaller who sends the request being handled, read on the request thread
   * @param clientScript  the browser client, served where no service and no route is
   */
  public HandshakeServlet(Targets targets, Limits limits, Supplier<Caller> currentCaller, ClientScript clientScript) {
    this.targets = targets;
    this.limits = limits;
    this.currentCaller = currentCaller;
    this.clientScript = clientScript;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Optional<WebSocketEndpoint> endpoint = targets.catalog().find(path);
    Optional<WebSocketRoute> route = endpoint.isPresent() ? Optional.empty() : targets.routes().find(path);
    if (endpoint.isEmpty() && route.isEmpty() && path.equals(clientScript.path())) {
      clientScript.serve(request, response);
      return;
    }
    if (endpoint.isEmpty() && route.isEmpty()) {
      refuse(response, Refusal.NO_SERVICE, "No WebSocket service at " + path);
      return;
    }
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      response.setHeader("Upgrade", "websocket");
      refuse(response, Refusal.NOT_AN_UPGRADE, "This is a WebSocket endpoint: connect with a WebSocket client");
      return;
    }
    if (!targets.open().accepting()) {
      refuse(response, Refusal.SHUTTING_DOWN, "The server is shutting down");
      return;
    }
    if (!OriginCheck.allows(request, limits.allowedOrigins())) {
      refuse(response, Refusal.ORIGIN, "Origin not allowed");
      return;
    }
    String key = request.getHeader("Sec-WebSocket-Key");
    if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
      response.setHeader("Sec-WebSocket-Version", "13");
      refuse(response, Refusal.VERSION, "Only WebSocket version 13 is supported");
      return;
    }
    if (!isKey(key) || !hasToken(request.getHeader("Connection"), "upgrade")) {
      refuse(response, Refusal.MALFORMED, "Not a WebSocket handshake");
      return;
    }
    Caller caller = currentCaller.get();
    UserInfo user = caller.user();
    if (endpoint.isPresent() && !ServiceAccess.mayConnect(endpoint.get().service(), user)) {
      refuse(response, Refusal.NOT_AUTHORIZED, "Not authorized for this service");
      return;
    }
    WebSocketEndpoint target = endpoint.orElseGet(() -> WebSocketEndpoint.route(path));
    Connection connection = new Connection(target, user, request.getParameter("id"), limits, targets.traffic());
    caller.tokenExpiry().ifPresent(connection::expiresAt);
    connection.mayNotHear(ServiceAccess.unheardMixins(target, user));
    String since = request.getParameter("since");
    boolean catchUp = endpoint.isPresent() && targets.recovery().prepare(connection, since);
    // Registered before the 101 goes out: events committed after the client sees it connected are not missed.
    // Custom routes' clients are admitted too: they hold a socket and buffers like any other.
    if (!targets.registry().add(connection)) {
      refuse(response, Refusal.LIMIT, "Too many WebSocket connections");
      return;
    }
    response.setHeader("Upgrade", "websocket");
    response.setHeader("Connection", "Upgrade");
    response.setHeader("Sec-WebSocket-Accept", accept(key.trim()));
    String protocol = targets.subprotocols().choose(target, request.getHeaders("Sec-WebSocket-Protocol"));
    if (protocol != null) {
      response.setHeader("Sec-WebSocket-Protocol", protocol);
    }
    // No extensions are agreed: as the Node plugin, no permessage-deflate, which costs CPU per frame and per client.
    try {
      WebSocketUpgrade socket = request.upgrade(WebSocketUpgrade.class);
      socket.overTls(request.isSecure());
      socket.bind(connection, endpoint.isPresent() ? targets.services() : new RouteHandler(route.get()),
          targets.open(), limits);
      targets.open().expectStart(connection);
      if (catchUp) { // what it missed leaves first, once the socket is handed over
        targets.recovery().replay(connection, since);
      }
    } catch (ServletException | IOException | RuntimeException e) {
      connection.leave(); // it never started: nothing of it stays listed
      LOG.error("WebSocket upgrade for {} failed", path, e);
      if (!response.isCommitted()) {
        refuse(response, Refusal.FAILED, "WebSocket upgrade failed");
      }
    }
  }

  /** Answers with the refusal's status and counts it by reason. */
  private void refuse(HttpServletResponse response, Refusal refusal, String message) throws IOException {
    targets.traffic().refused(refusal.tag);
    response.sendError(refusal.status, message);
  }

  /** RFC 6455, 4.2.2: proves to the client that this server read its key. */
  public static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-1", e);
    }
  }

  /** RFC 6455, 4.1 and 4.2.1: the key is 16 random bytes in base64, so 24 characters. */
  static boolean isKey(String key) {
    if (key == null || key.trim().length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean hasToken(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
