package dev.capws.websocket.internal.outbound;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.services.changeset.ChangeSetContext;

import dev.capws.websocket.api.EmitHeaders;
import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.internal.connection.ClientView;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.format.Formats;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * The application's handle on one connection. Broadcasts go the way of emitted events (the {@link Publisher}), so
 * that those made inside a transaction leave when it commits.
 */
public final class ConnectionFacade extends ClientView implements WebSocketConnection {

  private final Publisher publisher;
  private final Formats formats;

  public ConnectionFacade(Connection connection, Publisher publisher, Formats formats) {
    super(connection);
    this.publisher = publisher;
    this.formats = formats;
  }

  @Override
  public String service() {
    return connection.endpoint().serviceName();
  }

  @Override
  public Set<String> contexts() {
    return connection.contexts();
  }

  @Override
  public void enter(String... contexts) {
    for (String context : contexts) {
      if (!connection.enter(context)) {
        throw new IllegalStateException("Connection " + connectionId() + " is in as many contexts as it may be ("
            + connection.contexts().size() + ")");
      }
    }
  }

  @Override
  public void exit(String... contexts) {
    for (String context : contexts) {
      connection.exit(context);
    }
  }

  @Override
  public void reset() {
    connection.reset();
  }

  @Override
  public void emit(String event, Object data) {
    connection.send(publisher.compose(route(event), data, Map.of()));
  }

  @Override
  public void broadcast(String event, Object data, Consumer<EmitHeaders> headers) {
    publish(event, data, headers, connection.id());
  }

  @Override
  public void broadcastAll(String event, Object data, Consumer<EmitHeaders> headers) {
    publish(event, data, headers, 0);
  }

  private void publish(String event, Object data, Consumer<EmitHeaders> headerSetter, long except) {
    EmitHeaders headers = EmitHeaders.create();
    headerSetter.accept(headers);
    publisher.publish(route(event), data, headers.asMap(), connection.user(), except,
        ChangeSetContext.isActive() ? ChangeSetContext.getCurrent() : null);
  }

  /** Declared events are shaped and targeted by their declaration; other names go as they are. */
  private EventRoute route(String event) {
    WebSocketEndpoint endpoint = connection.endpoint();
    CdsEvent declared = endpoint.event(event).orElse(null);
    return new EventRoute(endpoint.service(), endpoint.serviceName(), declared, event,
        formats.of(declared, endpoint.service()), publisher.recovers(endpoint));
  }


}
