package dev.capws.websocket.internal.client;

import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.ErrorStatus;
import com.sap.cds.services.ErrorStatuses;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.ServiceDelegator;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.handler.annotations.HandlerOrder;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClientService;

/**
 * A client service: events of the other side arrive as CAP events of this service, emitted as the system user (of
 * the provider tenant), with the frame's data under {@code "data"} (and, when it is an object, each of its fields as
 * a parameter too); an event emitted on the service by the application leaves as a frame.
 */
public final class ClientService extends ServiceDelegator implements WebSocketClientService {

  private static final Logger LOG = LoggerFactory.getLogger(ClientService.class);
  /** Marks the contexts of arriving events, which the service's own handler must not send back out. */
  private static final String ARRIVED = "cds.websocket.arrived";

  private final CdsRuntime runtime;
  private final ClientSettings settings;
  private final ExecutorService arrivals;
  private final ClientSocket socket;

  ClientService(ClientSettings settings, CdsRuntime runtime, HttpClient http, ScheduledExecutorService timer) {
    super(settings.name());
    this.runtime = runtime;
    this.settings = settings;
    this.arrivals = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "ws-client-" + settings.name());
      thread.setDaemon(true);
      return thread;
    });
    this.socket = new ClientSocket(settings, http, timer, arrivals, this::arrived);
    // Late: the application's own @On handlers of an arriving event run first.
    on(new String[] { "*" }, new String[] { "*" }, HandlerOrder.LATE, context -> outgoing((EventContext) context));
  }

  void connect() {
    socket.connect();
  }

  void close() {
    socket.close();
    arrivals.shutdown();
  }

  private void arrived(String event, Object data) {
    try {
      runtime.requestContext().systemUserProvider().run(request -> {
        EventContext context = EventContext.create(event, null);
        if (data instanceof Map<?, ?> fields) {
          fields.forEach((name, value) -> context.put(String.valueOf(name), value));
        }
        context.put("data", data);
        context.put(ARRIVED, Boolean.TRUE);
        emit(context);
      });
    } catch (RuntimeException e) { // one failing handler must not stop the events after it
      LOG.warn("A handler of {} failed on the event {}", settings.name(), event, e);
    }
  }

  /** The service's own handler: an event the application emits leaves as a frame; an arriving one is done. */
  private void outgoing(EventContext context) {
    if (!Boolean.TRUE.equals(context.get(ARRIVED))) {
      send(context.getEvent(), data(context));
    }
    context.setCompleted();
  }

  /** {@code "data"} if the context has it, else its parameters. */
  private static Object data(EventContext context) {
    Object data = context.get("data");
    if (data != null) {
      return data;
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    context.keySet().stream().filter(key -> !key.startsWith("cds.") && !"result".equals(key))
        .forEach(key -> parameters.put(key, context.get(key)));
    return parameters;
  }

  @Override
  public void send(String event, Object data) {
    try {
      socket.send(event, data);
    } catch (IllegalStateException e) {
      throw new ServiceException(ErrorStatuses.BAD_GATEWAY, "{}", e.getMessage());
    }
  }

  @Override
  public Object call(String event, Object data) {
    CompletableFuture<JsonNode> reply;
    try {
      reply = socket.call(event, data);
    } catch (IllegalStateException e) {
      throw new ServiceException(ErrorStatuses.BAD_GATEWAY, "{}", e.getMessage());
    }
    JsonNode frame;
    try {
      frame = reply.get(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ServiceException(ErrorStatuses.GATEWAY_TIMEOUT, "No reply to {} from {} within {} ms", event,
          settings.name(), settings.replyTimeout().toMillis());
    } catch (ExecutionException e) {
      throw new ServiceException(ErrorStatuses.BAD_GATEWAY, "{}", e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(ErrorStatuses.BAD_GATEWAY, "Interrupted waiting for {}", event);
    }
    JsonNode error = frame.get("error");
    if (error != null) {
      ErrorStatus status = ErrorStatuses.getByCode(error.path("status").asInt(500));
      throw new ServiceException(status != null ? status : ErrorStatuses.SERVER_ERROR, "{}",
          error.path("message").asText());
    }
    return ClientSocket.plain(frame.get("data"));
  }

  @Override
  public void enterContexts(List<String> contexts) {
    send("wsContext", Map.of("contexts", contexts));
  }

  @Override
  public void exitContexts(List<String> contexts) {
    send("wsContext", Map.of("contexts", contexts, "exit", true));
  }

  @Override
  public boolean isConnected() {
    return socket.connected();
  }
}
