package dev.capws.websocket.internal.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.sap.cds.services.runtime.CdsRuntime;

/**
 * The client services of one CAP runtime ({@code cds.websocket.clients.*}), with what they share: one HTTP client
 * and one timer for their reconnects. They connect once the application runs (its own web server included, so a
 * client may connect to its own application) and close when it stops.
 */
public final class ClientServices {

  private final List<ClientService> services;
  private final ScheduledExecutorService timer;

  private ClientServices(List<ClientService> services, ScheduledExecutorService timer) {
    this.services = services;
    this.timer = timer;
  }

  public static ClientServices of(CdsRuntime runtime) {
    List<ClientSettings> settings = ClientSettings.from(runtime.getEnvironment());
    if (settings.isEmpty()) {
      return new ClientServices(List.of(), null);
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "ws-client-reconnect");
      thread.setDaemon(true);
      return thread;
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new ClientServices(settings.stream().map(s -> new ClientService(s, runtime, http, timer)).toList(),
        timer);
  }

  /** The services to register with CAP. */
  public List<ClientService> services() {
    return services;
  }

  public void connect() {
    services.forEach(ClientService::connect);
  }

  public void close() {
    services.forEach(ClientService::close);
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
