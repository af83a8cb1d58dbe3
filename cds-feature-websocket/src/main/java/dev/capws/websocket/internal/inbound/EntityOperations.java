package dev.capws.websocket.internal.inbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.CdsJsonConverter;
import com.sap.cds.CdsJsonConverterException;
import com.sap.cds.Result;
import com.sap.cds.Row;
import com.sap.cds.ql.CQL;
import com.sap.cds.ql.Delete;
import com.sap.cds.ql.Insert;
import com.sap.cds.ql.Select;
import com.sap.cds.ql.Selectable;
import com.sap.cds.ql.Update;
import com.sap.cds.reflect.CdsAction;
import com.sap.cds.reflect.CdsEntity;
import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsStructuredType;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.cds.CqnService;

import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.spi.FrameRejected;

/**
 * CRUD over the socket, as in the Node plugin: {@code <Entity>:create|read|readDeep|update|delete|list} and bound
 * actions {@code <Entity>:<action>} run as CQN statements on the service, as the connection's user, so CAP's
 * authorization and handlers apply as over OData. Changes are announced to the service's other clients as
 * {@code <Entity>:created|updated|deleted}.
 */
public final class EntityOperations {

  private static final Logger LOG = LoggerFactory.getLogger(EntityOperations.class);

  private final ConnectionCalls calls;

  public EntityOperations(ConnectionCalls calls) {
    this.calls = calls;
  }

  /** The entity an event like {@code Books:create} names, if the connection's service exposes it. */
  public static Optional<CdsEntity> entity(Connection connection, String event) {
    int colon = event.indexOf(':');
    if (colon <= 0 || !connection.endpoint().exposesEntities()) {
      return Optional.empty();
    }
    String name = event.substring(0, colon);
    return connection.endpoint().service().entities().filter(e -> localName(connection, e).equals(name)).findFirst();
  }

  private static String localName(Connection connection, CdsEntity entity) {
    return entity.getQualifiedName().substring(connection.endpoint().serviceName().length() + 1);
  }

  public Object run(Connection connection, CdsEntity entity, String event, JsonNode data) {
    if (!data.isObject()) {
      throw new FrameRejected(400, "INVALID_DATA", "\"data\" of '" + event + "' must be an object");
    }
    String operation = event.substring(event.indexOf(':') + 1);
    CqnService service = calls.runtime().getServiceCatalog().getService(CqnService.class,
        connection.endpoint().serviceName());
    return calls.run(connection, request -> {
      WebSocketConnection facade = ConnectionCalls.current().orElseThrow();
      CdsModel model = request.getModel();
      String name = entity.getQualifiedName();
      switch (operation) {
        case "create": {
          Map<String, Object> entry = entry(model, entity, data);
          Object created = service.run(Insert.into(name).entry(entry)).single();
          announce(facade, connection, entity, "created", (Map<?, ?>) created);
          return created;
        }
        case "read":
          return service.run(Select.from(name).matching(keys(entity, data))).first().orElse(null);
        case "readDeep":
          return service.run(Select.from(name).columns(deepColumns(entity, 0)).matching(keys(entity, data))).first()
              .orElse(null);
        case "update": {
          Map<String, Object> keys = keys(entity, data);
          Map<String, Object> changes = entry(model, entity, data);
          keys.keySet().forEach(changes::remove);
          Result result = service.run(Update.entity(name).data(changes).matching(keys));
          if (result.rowCount() == 0) {
            return null;
          }
          Row updated = service.run(Select.from(name).matching(keys)).first().orElse(null);
          announce(facade, connection, entity, "updated", updated == null ? keys : updated);
          return updated;
        }
        case "delete": {
          Map<String, Object> keys = keys(entity, data);
          long deleted = service.run(Delete.from(name).matching(keys)).rowCount();
          if (deleted > 0) {
            announce(facade, connection, entity, "deleted", keys);
          }
          return deleted > 0 ? keys : null;
        }
        case "list":
          return service.run(Select.from(name).matching(entry(model, entity, data))).list();
        default:
          return boundAction(service, connection, entity, operation, data);
      }
    });
  }

  private Object boundAction(CqnService service, Connection connection, CdsEntity entity, String operation,
      JsonNode data) {
    CdsAction action = entity.actions().filter(a -> a.getName().equals(operation)).findFirst()
        .orElseThrow(() -> new FrameRejected(404, "UNKNOWN_EVENT", "Entity " + localName(connection, entity)
            + " has no operation '" + operation + "'"));
    Map<String, Object> keys = keys(entity, data);
    ObjectNode parameters = ((ObjectNode) data).deepCopy();
    keys.keySet().forEach(parameters::remove);
    EventContext context = EventContext.create(operation, entity.getQualifiedName());
    context.put("cqn", Select.from(entity.getQualifiedName()).matching(keys));
    ParameterBinder.bind(action, parameters).forEach(context::put);
    service.emit(context);
    return context.get("result");
  }

  /**
   * {@code @ws.broadcast} on the entity: {@code key} (default) sends the keys, {@code data} the row, {@code none}
   * nothing; a declared event {@code <Entity>.created} shapes the payload instead. The sender is left out unless
   * the entity has {@code @ws.broadcast.all}.
   */
  private static void announce(WebSocketConnection facade, Connection connection, CdsEntity entity, String change,
      Map<?, ?> row) {
    if (row == null) {
      return;
    }
    String event = localName(connection, entity) + ":" + change;
    Object content = connection.endpoint().event(event).isPresent() ? row : switch (broadcastContent(entity)) {
      case "none" -> null;
      case "data" -> row;
      default -> keysOf(entity, row);
    };
    if (content == null) {
      return;
    }
    boolean all = WsAnnotations.isTruthy(WsAnnotations.value(entity, "websocket.broadcast.all"))
        || WsAnnotations.isTruthy(WsAnnotations.value(entity, "ws.broadcast.all"));
    if (all) {
      facade.broadcastAll(event, content);
    } else {
      facade.broadcast(event, content);
    }
  }

  private static String broadcastContent(CdsEntity entity) {
    for (String name : List.of("websocket.broadcast.content", "ws.broadcast.content", "websocket.broadcast",
        "ws.broadcast")) {
      Object value = WsAnnotations.value(entity, name);
      if (value instanceof String text) {
        return text;
      }
    }
    return "key";
  }

  private static Map<String, Object> keysOf(CdsEntity entity, Map<?, ?> row) {
    Map<String, Object> keys = new LinkedHashMap<>();
    entity.keyElements().filter(k -> !k.getType().isAssociation())
        .forEach(k -> keys.put(k.getName(), row.get(k.getName())));
    return keys;
  }

  /** The key values of the data, typed; every key must be there. */
  private Map<String, Object> keys(CdsEntity entity, JsonNode data) {
    Map<String, Object> keys = new LinkedHashMap<>();
    entity.keyElements().filter(k -> !k.getType().isAssociation()).forEach(key -> {
      JsonNode value = data.get(key.getName());
      if (value == null || value.isNull()) {
        throw new FrameRejected(400, "MISSING_KEY", "Key '" + key.getName() + "' is required", key.getName());
      }
      keys.put(key.getName(), ParameterBinder.value(value, key.getType(), key.getName()));
    });
    return keys;
  }

  /** The data as an entry of the entity, typed by CAP's own JSON reader; unknown elements are refused. */
  private static Map<String, Object> entry(CdsModel model, CdsStructuredType entity, JsonNode data) {
    try {
      return CdsJsonConverter.builder(model).unknownPropertyHandling(CdsJsonConverter.UnknownPropertyHandling.REJECT)
          .build().fromJsonObject(JsonFrames.write(data), entity);
    } catch (CdsJsonConverterException e) {
      // the converter's message quotes input and Java types: it stays in the debug log
      LOG.debug("CRUD data refused for {}", entity.getQualifiedName(), e);
      throw new FrameRejected(400, "INVALID_DATA", "Data does not fit " + entity.getName()
          + ": unknown elements or values of the wrong type");
    }
  }

  /** How deep {@code readDeep} follows compositions; it also ends compositions of an entity with itself. */
  private static final int MAX_DEPTH = 5;

  private static List<Selectable> deepColumns(CdsStructuredType type, int depth) {
    List<Selectable> columns = new ArrayList<>();
    columns.add(CQL.star());
    if (depth < MAX_DEPTH) {
      type.compositions().forEach(composition -> columns.add(CQL.to(composition.getName())
          .expand(deepColumns(type.getTargetOf(composition.getName()), depth + 1).toArray(Selectable[]::new))));
    }
    return columns;
  }
}
