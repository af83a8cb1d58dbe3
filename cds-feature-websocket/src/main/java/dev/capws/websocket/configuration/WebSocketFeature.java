package dev.capws.websocket.configuration;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.broker.Broker;
import dev.capws.websocket.format.Formats;
import dev.capws.websocket.broker.LocalBroker;
import dev.capws.websocket.inbound.EntityOperations;
import dev.capws.websocket.inbound.InboundDispatcher;
import dev.capws.websocket.inbound.OperationInvoker;
import dev.capws.websocket.model.EndpointCatalog;
import dev.capws.websocket.outbound.CommitGate;
import dev.capws.websocket.outbound.ConnectionFacade;
import dev.capws.websocket.outbound.TargetingResolver;
import dev.capws.websocket.transport.CloseCodes;
import dev.capws.websocket.transport.Connection;
import dev.capws.websocket.transport.ConnectionRegistry;
import dev.capws.websocket.transport.Heartbeat;
import dev.capws.websocket.transport.TransportContext;

/**
 * The plugin's parts for one CAP runtime, wired once. CAP creates the runtime configuration and the adapter factory
 * separately (both through {@link java.util.ServiceLoader}); both find the same parts here.
 */
public final class WebSocketFeature {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFeature.class);
  private static final Map<CdsRuntime, WebSocketFeature> FEATURES = new WeakHashMap<>();

  private final WebSocketSettings settings;
  private final EndpointCatalog catalog;
  private final ConnectionRegistry registry;
  private final Heartbeat heartbeat;
  private final Broker broker;
  private final CommitGate commitGate;
  private final TransportContext transport;
  private final TargetingResolver targeting;
  private final Formats formats;

  private WebSocketFeature(CdsRuntime runtime) {
    this.settings = WebSocketSettings.from(runtime.getEnvironment());
    this.catalog = EndpointCatalog.discover(runtime.getCdsModel(), settings.pathPrefix());
    this.registry = new ConnectionRegistry(settings.limits());
    this.broker = new LocalBroker(registry, settings.fanOutQueue());
    this.commitGate = new CommitGate(broker);
    this.targeting = new TargetingResolver(settings.includeOperator(), settings.excludeOperator());
    this.formats = new Formats(settings.format(), WebSocketFeature.class.getClassLoader());
    Function<Connection, WebSocketConnection> facades = connection -> new ConnectionFacade(connection, targeting,
        commitGate, formats, settings.shapePayload(), settings.afterCommit());
    InboundDispatcher inbound = new InboundDispatcher(new OperationInvoker(runtime, facades),
        new EntityOperations(runtime, facades), formats, settings.replies());
    this.transport = new TransportContext(settings.limits(), settings.maxMessageSize(), settings.sendTimeoutMillis(),
        settings.outboundQueueLimit(), settings.outboundQueueBytes(), registry, inbound);
    this.heartbeat = active() ? new Heartbeat(transport) : null;
  }

  public static WebSocketFeature of(CdsRuntime runtime) {
    synchronized (FEATURES) {
      return FEATURES.computeIfAbsent(runtime, WebSocketFeature::new);
    }
  }

  public WebSocketSettings settings() {
    return settings;
  }

  public EndpointCatalog catalog() {
    return catalog;
  }

  public ConnectionRegistry registry() {
    return registry;
  }

  public CommitGate commitGate() {
    return commitGate;
  }

  public Formats formats() {
    return formats;
  }

  public TargetingResolver targeting() {
    return targeting;
  }

  public TransportContext transport() {
    return transport;
  }

  /**
   * Stops gracefully: new upgrades are refused, the broadcasts already published are delivered into the clients'
   * queues, and each client is closed with 1001 once its queue has been written, within the timeout.
   */
  public void shutdown(long timeoutMillis) {
    if (!transport.accepting().getAndSet(false)) {
      return;
    }
    broker.close();
    if (heartbeat != null) {
      heartbeat.close();
    }
    for (Connection connection : transport.openConnections()) {
      connection.closeWhenDrained(CloseCodes.GOING_AWAY, "Server shutting down");
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!transport.openConnections().isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000);
    }
    if (!transport.openConnections().isEmpty()) {
      LOG.warn("{} WebSocket connections did not close within {} ms", transport.openConnections().size(),
          timeoutMillis);
    }
  }

  /** Whether there is anything to serve. */
  public boolean active() {
    return settings.enabled() && !catalog.isEmpty();
  }
}
