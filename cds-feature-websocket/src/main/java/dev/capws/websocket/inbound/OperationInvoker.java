package dev.capws.websocket.inbound;

import java.util.Map;
import java.util.function.Function;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.Service;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.transport.Connection;

/**
 * Calls an unbound action or function of the connection's service through CAP, as the connection's user and in its
 * tenant, so that CAP's authorization, handlers and transactions apply exactly as for an OData call.
 */
public final class OperationInvoker {

  private final CdsRuntime runtime;
  private final Function<Connection, WebSocketConnection> facades;

  /**
   * @param facades the application's view of a connection, made available to handlers through
   *                {@link WebSockets#current()}
   */
  public OperationInvoker(CdsRuntime runtime, Function<Connection, WebSocketConnection> facades) {
    this.runtime = runtime;
    this.facades = facades;
  }

  /** Calls an operation served at the connection's endpoint (of its service, or a mixin's own service). */
  public Object invoke(Connection connection, String operation, Map<String, Object> parameters) {
    String serviceName = connection.endpoint().ownerOf(operation).getQualifiedName();
    Service service = runtime.getServiceCatalog().getService(serviceName);
    if (service == null) {
      throw new ServiceException("Service {} is not available", serviceName);
    }
    return WebSockets.callFor(facades.apply(connection),
        () -> runtime.requestContext().user(connection.user()).run(requestContext -> {
          EventContext context = EventContext.create(operation, null);
          parameters.forEach(context::put);
          service.emit(context);
          return context.get("result");
        }));
  }
}
