package dev.capws.websocket.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Enumeration;
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
import dev.capws.websocket.api.WebSocketRoutes;
import dev.capws.websocket.model.EndpointCatalog;
import dev.capws.websocket.model.WebSocketEndpoint;

/**
 * Turns an HTTP request into a WebSocket connection. It runs behind CAP's security filters (it is served through
 * CAP's protocol-adapter SPI), so the user it captures is the authenticated user of the upgrade request. A path is
 * a service's endpoint or else an application's custom route; other paths get 404 and plain GETs 426, both before
 * any upgrade.
 */
public final class HandshakeServlet extends HttpServlet {

  /** The user of an upgrade request and, if it came with a token, when that expires. */
  public record Caller(UserInfo user, Optional<Instant> tokenExpiry) {
  }

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeServlet.class);

  private final transient EndpointCatalog catalog;
  private final transient WebSocketRoutes routes;
  private final transient TransportContext transport;
  private final transient Supplier<Caller> currentCaller;

  /**
   * @param routes      the application's own routes, served where no service is
   * @param currentCaller who sends the request being handled, read on the request thread
   */
  public HandshakeServlet(EndpointCatalog catalog, WebSocketRoutes routes, TransportContext transport,
      Supplier<Caller> currentCaller) {
    this.catalog = catalog;
    this.routes = routes;
    this.transport = transport;
    this.currentCaller = currentCaller;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Optional<WebSocketEndpoint> endpoint = catalog.find(path);
    Optional<WebSocketRoute> route = endpoint.isPresent() ? Optional.empty() : routes.find(path);
    if (endpoint.isEmpty() && route.isEmpty()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No WebSocket service at " + path);
      return;
    }
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      response.setHeader("Upgrade", "websocket");
      response.sendError(426, "This is a WebSocket endpoint: connect with a WebSocket client");
      return;
    }
    if (!transport.accepting().get()) {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The server is shutting down");
      return;
    }
    if (!OriginCheck.allows(request, transport.limits().allowedOrigins())) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
      return;
    }
    String key = request.getHeader("Sec-WebSocket-Key");
    if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
      response.setHeader("Sec-WebSocket-Version", "13");
      response.sendError(426, "Only WebSocket version 13 is supported");
      return;
    }
    if (key == null || key.isBlank() || !hasToken(request.getHeader("Connection"), "upgrade")) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Not a WebSocket handshake");
      return;
    }
    Caller caller = currentCaller.get();
    UserInfo user = caller.user();
    if (endpoint.isPresent() && !ServiceAccess.mayConnect(endpoint.get().service(), user)) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Not authorized for this service");
      return;
    }
    Connection connection = new Connection(endpoint.orElseGet(() -> WebSocketEndpoint.route(path)), user,
        request.getParameter("id"), transport.outboundQueueLimit(), transport.outboundQueueBytes(),
        transport.limits().maxContexts());
    caller.tokenExpiry().ifPresent(connection::expiresAt);
    // Registered before the 101 goes out: events committed after the client sees it connected are not missed.
    if (endpoint.isPresent() && !transport.registry().add(connection)) {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Too many WebSocket connections");
      return;
    }
    response.setHeader("Upgrade", "websocket");
    response.setHeader("Connection", "Upgrade");
    response.setHeader("Sec-WebSocket-Accept", accept(key.trim()));
    String protocol = firstProtocol(request.getHeaders("Sec-WebSocket-Protocol"));
    if (protocol != null) { // as the Node plugin: the client's first subprotocol, if it offers any
      response.setHeader("Sec-WebSocket-Protocol", protocol);
    }
    // No extensions are agreed: as the Node plugin, no permessage-deflate, which costs CPU per frame and per client.
    try {
      WebSocketUpgrade socket = request.upgrade(WebSocketUpgrade.class);
      if (endpoint.isPresent()) {
        socket.bind(transport, transport.handler(), true, connection);
      } else {
        socket.bind(transport, new RouteHandler(route.get()), false, connection);
      }
    } catch (ServletException | IOException | RuntimeException e) {
      transport.registry().remove(connection);
      LOG.error("WebSocket upgrade for {} failed", path, e);
      if (!response.isCommitted()) {
        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "WebSocket upgrade failed");
      }
    }
  }

  /** RFC 6455, 4.2.2: proves to the client that this server read its key. */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-1", e);
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

  private static String firstProtocol(Enumeration<String> headers) {
    while (headers != null && headers.hasMoreElements()) {
      for (String part : headers.nextElement().split(",")) {
        if (!part.isBlank()) {
          return part.trim();
        }
      }
    }
    return null;
  }
}
