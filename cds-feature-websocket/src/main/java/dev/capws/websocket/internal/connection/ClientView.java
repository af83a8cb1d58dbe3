package dev.capws.websocket.internal.connection;

import java.util.function.Consumer;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.api.WebSocketClient;

/** What application code sees of any connection: who and where it is, and closing it. */
public abstract class ClientView implements WebSocketClient {

  protected final Connection connection;

  protected ClientView(Connection connection) {
    this.connection = connection;
  }

  @Override
  public String connectionId() {
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
  public String path() {
    return connection.endpoint().path();
  }

  @Override
  public void disconnect(int code, String reason) {
    connection.disconnect(code, reason);
  }

  @Override
  public void onDisconnect(Consumer<Integer> callback) {
    connection.onClosed(callback::accept);
  }

  /** Views of the same connection are equal. */
  @Override
  public boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((ClientView) other).connection == connection;
  }

  @Override
  public int hashCode() {
    return connection.hashCode();
  }
}
