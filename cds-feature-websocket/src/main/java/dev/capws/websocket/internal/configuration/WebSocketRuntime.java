package dev.capws.websocket.internal.configuration;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.Service;
import com.sap.cds.services.ServiceDelegator;
import com.sap.cds.services.environment.CdsEnvironment;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.internal.broker.Broker;
import dev.capws.websocket.internal.broker.CountingBroker;
import dev.capws.websocket.internal.broker.EngineBroker;
import dev.capws.websocket.internal.broker.FanOutStats;
import dev.capws.websocket.internal.broker.LocalBroker;
import dev.capws.websocket.internal.broker.Recovery;
import dev.capws.websocket.internal.broker.RedisBroker;
import dev.capws.websocket.internal.client.ClientServices;
import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.connection.ClosingHooks;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Heartbeat;
import dev.capws.websocket.internal.connection.OpenConnections;
import dev.capws.websocket.internal.format.Formats;
import dev.capws.websocket.internal.handshake.HandshakeServlet;
import dev.capws.websocket.internal.handshake.RouteTable;
import dev.capws.websocket.internal.handshake.Subprotocols;
import dev.capws.websocket.internal.inbound.ConnectionCalls;
import dev.capws.websocket.internal.inbound.EntityOperations;
import dev.capws.websocket.internal.inbound.InboundDispatcher;
import dev.capws.websocket.internal.inbound.OperationInvoker;
import dev.capws.websocket.internal.metrics.Traffic;
import dev.capws.websocket.internal.model.EndpointCatalog;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.outbound.CommitGate;
import dev.capws.websocket.internal.outbound.ConnectionFacade;
import dev.capws.websocket.internal.outbound.Publisher;
import dev.capws.websocket.internal.socketio.SocketIoKind;
import dev.capws.websocket.internal.socketio.SocketIoSettings;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.internal.targeting.RegisteredClients;
import dev.capws.websocket.internal.targeting.TargetingResolver;
import dev.capws.websocket.spi.BrokerEngine;

/**
 * The plugin's parts for one CAP runtime, built and wired once by {@link Registration} and registered as a CAP
 * service, so that the adapter factory, the index page, the Spring lifecycle and the public API find them through
 * CAP's service catalog, as CAP's own plugins share their state. It handles no events.
 */
public final class WebSocketRuntime extends ServiceDelegator {

  public static final String NAME = "WebSocketRuntime$Default";
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRuntime.class);

  private final WebSocketSettings settings;
  private final EndpointCatalog catalog;
  private final ConnectionRegistry registry;
  private final ClosingHooks hooks = new ClosingHooks();
  private final OpenConnections open = new OpenConnections(hooks);
  private final RouteTable routes = new RouteTable();
  private final CountingBroker broker;
  private final Recovery recovery;
  private final Publisher publisher;
  private final Formats formats;
  private final InboundDispatcher inbound;
  private final Heartbeat heartbeat;
  private final ClientServices clientServices;
  private final Traffic traffic = new Traffic();
  /** The socket.io kind's parts, or null for the plain WebSocket kind (the default). */
  private final SocketIoKind socketIo;

  WebSocketRuntime(CdsRuntime runtime) {
    super(NAME);
    this.settings = WebSocketSettings.from(runtime.getEnvironment());
    this.catalog = EndpointCatalog.discover(runtime.getCdsModel(), settings.pathPrefix());
    this.registry = new ConnectionRegistry(settings.limits());
    this.broker = new CountingBroker(active() ? broker(settings, registry, catalog, runtime.getEnvironment())
        : new LocalBroker(registry, settings.fanOut()));
    this.recovery = new Recovery(broker, settings.limits().outboundQueueLimit() / 2, settings.recovery());
    this.formats = new Formats(settings.format(), WebSocketRuntime.class.getClassLoader());
    this.publisher = new Publisher(new CommitGate(broker),
        new TargetingResolver(settings.includeOperator(), settings.excludeOperator()), settings.publishing(),
        settings.recovery());
    ConnectionCalls calls = new ConnectionCalls(runtime,
        connection -> new ConnectionFacade(connection, publisher, formats));
    this.inbound = new InboundDispatcher(new OperationInvoker(calls), new EntityOperations(calls), formats,
        settings.replies());
    this.heartbeat = active() ? new Heartbeat(open, settings.limits()) : null;
    this.clientServices = ClientServices.of(runtime);
    SocketIoSettings kind = SocketIoSettings.from(runtime.getEnvironment());
    this.socketIo = kind.socketIo() ? new SocketIoKind(kind, catalog, registry, inbound, open, settings.limits(),
        formats, traffic) : null;
  }

  /**
   * The local broker, or the Redis broker when asked for (or a Redis service is bound), or an application's
   * {@link BrokerEngine} of the name asked for.
   */
  private static Broker broker(WebSocketSettings settings, ConnectionRegistry registry, EndpointCatalog catalog,
      CdsEnvironment environment) {
    List<String> services = catalog.endpoints().stream().map(WebSocketEndpoint::serviceName).distinct().toList();
    switch (settings.broker()) {
      case WebSocketSettings.LOCAL:
        boolean history = catalog.endpoints().stream().anyMatch(settings.recovery()::appliesTo);
        return history ? LocalBroker.withHistory(registry, settings.fanOut(), settings.recovery().maxEvents(),
            settings.recovery().maxAgeMillis()) : new LocalBroker(registry, settings.fanOut());
      case WebSocketSettings.REDIS:
        if (settings.redis().uri() == null) {
          throw new IllegalStateException("cds.websocket.broker is redis, but there is neither a "
              + "cds.websocket.redis.uri nor a bound Redis service (" + RedisBinding.LABEL + ")");
        }
        try {
          Class.forName("io.lettuce.core.RedisClient", false, WebSocketRuntime.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException("cds.websocket.broker is redis: add the dependency "
              + "io.lettuce:lettuce-core to the application", e);
        }
        LOG.info("WebSocket events go through Redis at {}", redacted(settings.redis().uri()));
        return new RedisBroker(registry, settings.fanOut(), settings.redis(), services);
      default:
        BrokerEngine engine = engine(settings.broker());
        LOG.info("WebSocket events go through the broker engine '{}' ({})", engine.name(),
            engine.getClass().getName());
        return new EngineBroker(registry, settings.fanOut(), engine, environment, services);
    }
  }

  /** The application's broker engine of this name (listed in META-INF/services). */
  private static BrokerEngine engine(String name) {
    List<BrokerEngine> engines = ServiceLoader.load(BrokerEngine.class, WebSocketRuntime.class.getClassLoader())
        .stream().map(ServiceLoader.Provider::get).toList();
    return engines.stream().filter(engine -> engine.name().equalsIgnoreCase(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("Unknown cds.websocket.broker '" + name + "': local, redis"
            + engines.stream().map(engine -> ", " + engine.name()).collect(Collectors.joining())
            + " (broker engines are listed in META-INF/services/" + BrokerEngine.class.getName() + ")"));
  }

  /** A URI for the log: without its password. */
  private static String redacted(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  /** The plugin's parts of this runtime. */
  public static WebSocketRuntime of(CdsRuntime runtime) {
    Service service = runtime.getServiceCatalog().getService(NAME);
    if (service instanceof WebSocketRuntime parts) {
      return parts;
    }
    throw new IllegalStateException("cds-feature-websocket is not registered with this CAP runtime");
  }

  public WebSocketSettings settings() {
    return settings;
  }

  public EndpointCatalog catalog() {
    return catalog;
  }

  Broker broker() {
    return broker;
  }

  /** Events handed to the broker since the start. */
  public long publishedEvents() {
    return broker.published();
  }

  /** This instance's fan-out: what waits, what it delivered and how long that waited. */
  public FanOutStats fanOutStats() {
    return broker.fanOutStats();
  }

  /** Events the broker had to drop. */
  public long droppedEvents() {
    return broker.droppedEvents();
  }

  /** Whether the broker reaches every instance now. */
  public boolean brokerConnected() {
    return broker.connected();
  }

  /** The broker in use: {@code local}, {@code redis} or an engine's name. */
  public String brokerName() {
    return active() ? settings.broker() : WebSocketSettings.LOCAL;
  }

  /** Whether new upgrades are accepted (false once the shutdown began). */
  public boolean accepting() {
    return open.accepting();
  }

  public ConnectionRegistry registry() {
    return registry;
  }

  public Publisher publisher() {
    return publisher;
  }

  public Formats formats() {
    return formats;
  }

  /** The socket.io kind's parts, or null when the kind is plain WebSocket. */
  public SocketIoKind socketIo() {
    return socketIo;
  }

  public RouteTable routes() {
    return routes;
  }

  /** What the endpoints sent, received and refused, for the meters. */
  public Traffic traffic() {
    return traffic;
  }

  /** The services that are WebSocket clients of other applications ({@code cds.websocket.clients.*}). */
  public ClientServices clientServices() {
    return clientServices;
  }

  public WebSocketClients clients() {
    return new RegisteredClients(registry);
  }

  /** Where the handshake servlet hands connections over. */
  HandshakeServlet.Targets handshakeTargets() {
    return new HandshakeServlet.Targets(catalog, routes, registry, open, inbound, recovery,
        new Subprotocols(formats, settings.subprotocols()), traffic);
  }

  /** Whether there is anything to serve. */
  public boolean active() {
    return settings.enabled() && !catalog.isEmpty();
  }

  /**
   * Stops gracefully: new upgrades are refused, the events already published are delivered into the clients'
   * queues, and each client is closed with 1001 once its queue has been written, within the timeout.
   */
  void shutdown(long timeoutMillis) {
    if (!open.stopAccepting()) {
      return;
    }
    broker.close();
    if (heartbeat != null) {
      heartbeat.close();
    }
    for (Connection connection : open.all()) {
      connection.closeWhenDrained(CloseCodes.GOING_AWAY, "Server shutting down");
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!open.all().isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000);
    }
    if (!open.all().isEmpty()) {
      LOG.warn("{} WebSocket connections did not close within {} ms", open.all().size(), timeoutMillis);
    }
    // The disconnect hooks of the connections closed above run before the application stops, within the timeout.
    hooks.close(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
  }
}
