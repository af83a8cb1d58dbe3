package dev.capws.websocket.outbound;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.services.changeset.ChangeSetContext;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.api.EmitHeaders;
import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.broker.Broadcast;
import dev.capws.websocket.format.Formats;
import dev.capws.websocket.transport.CloseCodes;
import dev.capws.websocket.transport.Connection;
import dev.capws.websocket.transport.Targeting;

/**
 * The application's handle on one connection. Broadcasts made inside a transaction leave when it commits, like
 * emitted events (unless {@code after-commit} is off).
 */
public final class ConnectionFacade implements WebSocketConnection {

  private final Connection connection;
  private final TargetingResolver targeting;
  private final CommitGate gate;

  private final Formats formats;
  private final boolean shapePayload;
  private final boolean afterCommit;

  /**
   * @param shapePayload {@code cds.websocket.shape-payload}, as for emitted events
   * @param afterCommit  {@code cds.websocket.after-commit}, as for emitted events
   */
  public ConnectionFacade(Connection connection, TargetingResolver targeting, CommitGate gate, Formats formats,
      boolean shapePayload, boolean afterCommit) {
    this.connection = connection;
    this.targeting = targeting;
    this.gate = gate;
    this.formats = formats;
    this.shapePayload = shapePayload;
    this.afterCommit = afterCommit;
  }

  @Override
  public String id() {
    return String.valueOf(connection.id());
  }

  @Override
  public String identifier() {
    return connection.identifier();
  }

  @Override
  public UserInfo user() {
    return connection.user();
  }

  @Override
  public String tenant() {
    return connection.tenant();
  }

  @Override
  public String service() {
    return connection.endpoint().serviceName();
  }

  @Override
  public String path() {
    return connection.endpoint().path();
  }

  @Override
  public Set<String> contexts() {
    return connection.contexts();
  }

  @Override
  public void enter(String... contexts) {
    for (String context : contexts) {
      if (!connection.enter(context)) {
        throw new IllegalStateException("Connection " + id() + " is in as many contexts as it may be ("
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
    connection.send(compose(event, data, Map.of()));
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
    CdsEvent declared = connection.endpoint().event(event).orElse(null);
    Targeting recipients = targeting.resolve(connection.endpoint().service(), declared,
        data instanceof Map<?, ?> map ? map : null, headers.asMap(), connection.user().getName());
    String frame = compose(event, data, EventForwarder.formatHeaders(headers.asMap()));
    gate.publishAfterCommit(afterCommit && ChangeSetContext.isActive() ? ChangeSetContext.getCurrent() : null,
        new Broadcast(service(), tenant(), event, frame, recipients, except));
  }

  /** In the event's format; declared events are shaped by their declaration, other names go as they are. */
  private String compose(String event, Object data, Map<String, Object> headers) {
    CdsEvent declared = connection.endpoint().event(event).orElse(null);
    return formats.of(declared, connection.endpoint().service()).compose(connection.endpoint().service(), declared,
        event, payload(event, data), headers);
  }

  private Object payload(String event, Object data) {
    return connection.endpoint().event(event)
        .map(declared -> shapePayload ? PayloadShaper.shape(declared, data) : PayloadShaper.withoutIgnored(declared,
            data))
        .orElse(data);
  }

  @Override
  public void disconnect() {
    connection.closeWhenDrained(CloseCodes.NORMAL, "Disconnected by the server"); // what was emitted before still goes
  }

  @Override
  public void onDisconnect(Consumer<Integer> callback) {
    connection.onClosed(callback);
  }
}
