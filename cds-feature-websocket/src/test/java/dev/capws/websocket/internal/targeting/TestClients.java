package dev.capws.websocket.internal.targeting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.request.ModifiableUserInfo;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/** Clients of the services in targeting.cds, built as the handshake builds them, for the targeting and broker tests. */
public final class TestClients {

  /** The compiled targeting.cds. */
  public static final CdsModel MODEL = read("/model/targeting.csn.json");
  /** Endpoints of two services, so that service isolation can be seen. */
  public static final WebSocketEndpoint TARGETED = endpoint("Targeted");
  public static final WebSocketEndpoint STRICT = endpoint("Strict");

  private TestClients() {}

  public static CdsModel read(String resource) {
    try (InputStream csn = TestClients.class.getResourceAsStream(resource)) {
      return CdsModel.read(csn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WebSocketEndpoint endpoint(String service) {
    CdsService definition = MODEL.getService(service);
    return new WebSocketEndpoint("/ws/" + service.toLowerCase(), definition, Map.of(), Map.of(), Map.of(), true);
  }

  /** An authenticated user of a tenant (null: none) with roles. */
  public static UserInfo user(String name, String tenant, String... roles) {
    ModifiableUserInfo user = UserInfo.create().setName(name).setTenant(tenant).setIsAuthenticated(true);
    for (String role : roles) {
      user.addRole(role);
    }
    return user;
  }

  /** An anonymous user, as CAP's mock authentication leaves unauthenticated requests. */
  public static UserInfo anonymous(String tenant) {
    return UserInfo.create().setName("anonymous").setTenant(tenant).setIsAuthenticated(false);
  }

  public static Connection connection(WebSocketEndpoint endpoint, UserInfo user, String identifier,
      String... contexts) {
    Connection connection = new Connection(endpoint, user, identifier, Limits.defaults());
    for (String context : contexts) {
      connection.enter(context);
    }
    return connection;
  }

  /** Limits with these connection counts and the defaults otherwise. */
  public static Limits limits(int maxConnections, int maxConnectionsPerUser) {
    Limits d = Limits.defaults();
    return new Limits(List.of(), maxConnections, maxConnectionsPerUser, d.maxMessagesPerSecond(), d.maxContexts(),
        d.heartbeatMillis(), d.maxMessageSize(), d.sendTimeoutMillis(), d.outboundQueueLimit(),
        d.outboundQueueBytes(), d.messageTimeoutMillis());
  }

  public static Layer include(String... values) {
    return new Layer(Set.of(values), Set.of());
  }

  public static Layer exclude(String... values) {
    return new Layer(Set.of(), Set.of(values));
  }

  /** Every client of the service in the tenant. */
  public static Targeting everyone() {
    return new Targeting(Layer.NONE, Layer.NONE, Layer.NONE, Layer.NONE, Operator.OR, Operator.OR);
  }

  public static Targeting users(Layer users) {
    return new Targeting(users, Layer.NONE, Layer.NONE, Layer.NONE, Operator.OR, Operator.OR);
  }

  public static Targeting contexts(Layer contexts) {
    return new Targeting(Layer.NONE, Layer.NONE, contexts, Layer.NONE, Operator.OR, Operator.OR);
  }

  public static Envelope envelope(WebSocketEndpoint endpoint, String tenant, String frame, Targeting targeting,
      long except) {
    return new Envelope(endpoint.serviceName(), tenant, "test", frame, targeting, except, false);
  }
}
