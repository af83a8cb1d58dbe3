package dev.capws.websocket.internal.inbound;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.reflect.CdsEntity;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.services.ServiceException;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.FrameHandler;
import dev.capws.websocket.internal.format.Formats;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * Routes what a client sends to the service's operations and answers each frame exactly once (when replies are on):
 * a result frame, or an error frame that names the problem. Nothing a client sends closes its connection or
 * reaches another client.
 */
public final class InboundDispatcher implements FrameHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);

  private final OperationInvoker invoker;
  private final EntityOperations entities;
  private final Formats formats;
  private final boolean replies;
  /** The format of each endpoint (its service's {@code @ws.format}), looked up once. */
  private final Map<String, WebSocketFormat> endpointFormats = new ConcurrentHashMap<>();

  public InboundDispatcher(OperationInvoker invoker, EntityOperations entities, Formats formats, boolean replies) {
    this.invoker = invoker;
    this.entities = entities;
    this.formats = formats;
    this.replies = replies;
  }

  @Override
  public void opened(Connection connection) {
    if (connection.endpoint().operation(WebSocketEndpoint.CONNECT).isPresent()) {
      callHook(connection, WebSocketEndpoint.CONNECT, Map.of());
    }
  }

  @Override
  public void closed(Connection connection, int code) {
    connection.endpoint().operation(WebSocketEndpoint.DISCONNECT).ifPresent(operation -> {
      // As the Node plugin: the close code, as text, is the reason.
      boolean hasReason = operation.parameters().anyMatch(p -> p.getName().equals("reason"));
      callHook(connection, WebSocketEndpoint.DISCONNECT,
          hasReason ? Map.of("reason", String.valueOf(code)) : Map.of());
    });
  }

  @Override
  public void throttled(Connection connection, String message) {
    LOG.debug("Dropped a message from {}: rate limit", connection);
    WebSocketEndpoint endpoint = connection.endpoint();
    WebSocketFormat format = format(endpoint);
    if (replies && format.replies()) {
      // The frame is read only for its event and id, so that the client can tell which call was dropped.
      String event = "error";
      JsonNode id = null;
      try {
        ClientFrame frame = format.parse(endpoint.service(), endpoint.operations(), message);
        event = frame.event();
        id = frame.id();
      } catch (RuntimeException e) { // FrameRejected included: it gets its 429 without an id
        LOG.trace("The dropped message is unreadable too", e);
      }
      connection.send(JsonFrames.error(event, 429, "RATE_LIMITED",
          "Too many messages: this one was dropped; slow down", null, id));
    }
  }

  private WebSocketFormat format(WebSocketEndpoint endpoint) {
    return endpointFormats.computeIfAbsent(endpoint.path(), path -> formats.of(null, endpoint.service()));
  }

  @Override
  public void received(Connection connection, String message) {
    String event = "error";
    JsonNode id = null;
    WebSocketEndpoint endpoint = connection.endpoint();
    WebSocketFormat format = format(endpoint);
    boolean reply = replies && format.replies();
    try {
      ClientFrame frame = format.parse(endpoint.service(), endpoint.operations(), message);
      event = frame.event();
      id = frame.id();
      Object result = dispatch(connection, event, frame.data());
      reply(reply, connection, JsonFrames.result(event, result, id));
    } catch (FrameRejected e) {
      LOG.debug("Rejected a frame from {}: {}", connection, e.getMessage());
      reply(reply, connection, JsonFrames.error(event, e.status(), e.code(), e.getMessage(), e.target(), id));
    } catch (ServiceException e) {
      int status = e.getErrorStatus().getHttpStatus();
      if (status >= 500) {
        // server faults: the details stay in the log, the client learns only that it failed
        LOG.error("Operation '{}' failed for {}", event, connection, e);
        reply(reply, connection, internalError(event, id));
        return;
      }
      LOG.debug("Operation '{}' refused for {}: {}", event, connection, e.getMessage());
      reply(reply, connection, JsonFrames.error(event, status, e.getErrorStatus().getCodeString(),
          e.getLocalizedMessage(), null, id));
    } catch (RuntimeException e) {
      LOG.error("Operation '{}' failed for {}", event, connection, e);
      reply(reply, connection, internalError(event, id));
    }
  }

  /**
   * Runs what a client asks for, whatever carried it (a json frame, a Socket.IO event): {@code wsContext}, an
   * entity's CRUD event, or an operation of the endpoint.
   *
   * @return the result, or null
   * @throws FrameRejected    for an event the endpoint cannot run, or data that does not fit
   * @throws RuntimeException what the call threw ({@code ServiceException} for CAP's errors)
   */
  public Object dispatch(Connection connection, String event, JsonNode data) {
    Optional<CdsEntity> entity = EntityOperations.entity(connection, event);
    if (WebSocketEndpoint.CONTEXT.equals(event)) {
      return contexts(connection, data);
    } else if (entity.isPresent()) {
      return entities.run(connection, entity.get(), event, data);
    }
    CdsOperation operation = operation(connection.endpoint(), event);
    return invoker.invoke(connection, operation.getName(), ParameterBinder.bind(operation, data));
  }

  private static String internalError(String event, JsonNode id) {
    return JsonFrames.error(event, 500, "INTERNAL_ERROR", "Internal server error", null, id);
  }

  /**
   * {@code wsContext}: the service's own {@code wsContext} operation, if it declares one, is called first with the
   * frame's data, so that it can refuse (then nothing changes); then reset if asked, then enter or exit the contexts
   * named. The result is the operation's.
   */
  private Object contexts(Connection connection, JsonNode data) {
    ContextRequest request = ContextRequest.of(data);
    Object result = connection.endpoint().operation(WebSocketEndpoint.CONTEXT)
        .map(operation -> invoker.invoke(connection, operation.getName(), ParameterBinder.bind(operation, data)))
        .orElse(null);
    if (request.reset()) {
      connection.reset();
    }
    for (String context : request.contexts()) {
      if (request.exit()) {
        connection.exit(context);
      } else if (!connection.enter(context)) {
        throw new FrameRejected(400, "TOO_MANY_CONTEXTS", "A connection can be in at most "
            + connection.contexts().size() + " contexts", "context");
      }
    }
    return result;
  }

  private static CdsOperation operation(WebSocketEndpoint endpoint, String event) {
    if (WebSocketEndpoint.CONNECT.equals(event) || WebSocketEndpoint.DISCONNECT.equals(event)) {
      throw new FrameRejected(400, "RESERVED_EVENT", "'" + event + "' is called by the server, not by clients");
    }
    return endpoint.operation(event).orElseThrow(() -> endpoint.event(event).isPresent()
        ? new FrameRejected(400, "NOT_AN_OPERATION", "'" + event + "' is an event of the server, not an operation")
        : new FrameRejected(404, "UNKNOWN_EVENT", "Service " + endpoint.serviceName() + " has no operation '" + event
            + "'"));
  }

  /** Replies are frames of the json format; clients of other formats (and with replies off) get none. */
  private static void reply(boolean reply, Connection connection, String frame) {
    if (reply) {
      connection.send(frame);
    }
  }

  /** Lifecycle hooks have nobody to answer to: their failures are logged, and the connection goes on. */
  private void callHook(Connection connection, String operation, Map<String, Object> parameters) {
    try {
      invoker.invoke(connection, operation, parameters);
    } catch (RuntimeException e) {
      LOG.warn("{} failed for {}: {}", operation, connection, e.getMessage(), e);
    }
  }
}
