package dev.capws.websocket.internal.configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.internal.outbound.OutboxDelivery;

/**
 * In a Spring Boot application, closes the WebSocket connections gracefully (1001, after their queued frames) when
 * the application stops, before the web server stops; and when it has started, lets the outbox (if events go through
 * one) publish what an earlier instance left.
 */
public class WebSocketLifecycle implements SmartLifecycle {

  /** How long the shutdown waits for clients to be written to and closed. */
  static final long TIMEOUT_MILLIS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketLifecycle.class);

  private final CdsRuntime runtime;
  private volatile boolean running;

  public WebSocketLifecycle(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  /** Once the application runs: events that an earlier instance stored in the outbox and could not publish go out. */
  @Override
  public void start() {
    running = true;
    WebSocketRuntime.of(runtime).clientServices().connect();
    OutboxDelivery outbox = WebSocketRuntime.of(runtime).publisher().outbox();
    if (outbox != null) {
      try {
        runtime.requestContext().systemUserProvider().run(context -> {
          outbox.wakeUp();
        });
      } catch (RuntimeException e) { // the next event wakes it up anyway
        LOG.warn("Could not take up the WebSocket events left in the outbox", e);
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    WebSocketRuntime.of(runtime).clientServices().close();
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
