package dev.capws.websocket.inbound;

import java.util.Map;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.Service;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.transport.Connection;

/**
 * Calls an unbound action or function of the connection's service through CAP, as the connection's user and in its
 * tenant, so that CAP's authorization, handlers and transactions apply exactly as for an OData call.
 */
public final class OperationInvoker {

  private final CdsRuntime runtime;

  public OperationInvoker(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  /** Returns the operation's result (null for an action without one). */
  public Object invoke(Connection connection, String operation, Map<String, Object> parameters) {
    Service service = runtime.getServiceCatalog().getService(connection.endpoint().serviceName());
    if (service == null) {
      throw new ServiceException("Service {} is not available", connection.endpoint().serviceName());
    }
    return runtime.requestContext().user(connection.user()).run(requestContext -> {
      EventContext context = EventContext.create(operation, null);
      parameters.forEach(context::put);
      service.emit(context);
      return context.get("result");
    });
  }
}
