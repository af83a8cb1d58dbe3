package dev.capws.websocket.internal.configuration;

import org.springframework.context.SmartLifecycle;

import com.sap.cds.services.runtime.CdsRuntime;

/**
 * In a Spring Boot application, closes the WebSocket connections gracefully (1001, after their queued frames) when
 * the application stops, before the web server stops.
 */
public class WebSocketLifecycle implements SmartLifecycle {

  /** How long the shutdown waits for clients to be written to and closed. */
  static final long TIMEOUT_MILLIS = 10_000;

  private final CdsRuntime runtime;
  private volatile boolean running;

  public WebSocketLifecycle(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    WebSocketRuntime.of(runtime).shutdown(TIMEOUT_MILLIS);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the web server (Spring Boot stops higher phases first). */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE;
  }
}
