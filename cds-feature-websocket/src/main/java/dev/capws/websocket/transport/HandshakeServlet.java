package dev.capws.websocket.transport;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

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
    ServerContainer container = (ServerContainer) request.getServletContext()
        .getAttribute(ServerContainer.class.getName());
    if (container == null) {
      LOG.error("No jakarta.websocket container in this servlet container: add tomcat-embed-websocket");
      response.sendError(HttpServletResponse.SC_NOT_IMPLEMENTED, "WebSocket is not supported by this server");
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
    SessionEndpoint session = endpoint.isPresent()
        ? new SessionEndpoint(transport, transport.handler(), true, connection)
        : new SessionEndpoint(transport, new RouteHandler(route.get()), false, connection);
    try {
      container.upgradeHttpToWebSocket(request, response, config(path, session), Map.of());
      if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
        // the container refused the handshake itself (e.g. no Sec-WebSocket-Key): no session will open
        transport.registry().remove(connection);
      }
    } catch (DeploymentException | IOException | RuntimeException e) {
      transport.registry().remove(connection);
      LOG.error("WebSocket upgrade for {} failed", path, e);
      if (!response.isCommitted()) {
        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "WebSocket upgrade failed");
      }
    }
  }

  /** A configuration per connection, so that the container hands the upgrade to this connection's endpoint. */
  private static ServerEndpointConfig config(String path, SessionEndpoint session) {
    return ServerEndpointConfig.Builder.create(SessionEndpoint.class, path)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(session);
          }

          /** As the Node plugin: the client's first subprotocol, if it offers any. */
          @Override
          public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return requested.isEmpty() ? "" : requested.get(0);
          }

          /** As the Node plugin: no permessage-deflate, which costs CPU per frame and per client. */
          @Override
          public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of();
          }
        }).build();
  }
}
