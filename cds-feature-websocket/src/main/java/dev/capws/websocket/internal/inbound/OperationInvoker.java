package dev.capws.websocket.internal.inbound;

import java.util.Map;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.Service;
import com.sap.cds.services.ServiceException;

import dev.capws.websocket.internal.connection.Connection;

/**
 * Calls an unbound action or function of the connection's service through CAP, as the connection's user and in its
 * tenant, so that CAP's authorization, handlers and transactions apply exactly as for an OData call.
 */
public final class OperationInvoker {

  private final ConnectionCalls calls;

  public OperationInvoker(ConnectionCalls calls) {
    this.calls = calls;
  }

  /** Calls an operation served at the connection's endpoint (of its service, or a mixin's own service). */
  public Object invoke(Connection connection, String operation, Map<String, Object> parameters) {
    String serviceName = connection.endpoint().ownerOf(operation).getQualifiedName();
    Service service = calls.runtime().getServiceCatalog().getService(serviceName);
    if (service == null) {
      throw new ServiceException("Service {} is not available", serviceName);
    }
    return calls.run(connection, requestContext -> {
      EventContext context = EventContext.create(operation, null);
      parameters.forEach(context::put);
      service.emit(context);
      return context.get("result");
    });
  }
}
