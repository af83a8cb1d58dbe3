package dev.capws.websocket.broker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.transport.Connection;
import dev.capws.websocket.transport.ConnectionRegistry;
import dev.capws.websocket.transport.OutboundFrame;

/**
 * Delivers broadcasts to the clients of this instance. One fan-out thread does the delivery, so the emitting request
 * returns at once and every client sees events in the order they were committed; it only enqueues into each
 * client's outbox and never waits for a socket.
 */
public final class LocalBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);

  private final ConnectionRegistry registry;
  private final ExecutorService fanOut = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "ws-fan-out");
        thread.setDaemon(true);
        return thread;
      });

  public LocalBroker(ConnectionRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void publish(Broadcast broadcast) {
    try {
      fanOut.execute(() -> deliver(broadcast));
    } catch (RejectedExecutionException e) {
      LOG.warn("Dropped event '{}': the WebSocket broker is shut down", broadcast.event());
    }
  }

  private void deliver(Broadcast broadcast) {
    int recipients = 0;
    OutboundFrame frame = OutboundFrame.text(broadcast.frame()); // encoded once, shared by every recipient
    for (Connection connection : registry.select(broadcast.serviceName(), broadcast.tenant(),
        broadcast.targeting())) {
      if (connection.id() != broadcast.except()) {
        try {
          connection.send(frame);
          recipients++;
        } catch (RuntimeException e) { // one client's failure must not cost the others the event
          LOG.warn("Delivering '{}' to {} failed", broadcast.event(), connection, e);
        }
      }
    }
    LOG.debug("Event '{}' of {} went to {} clients", broadcast.event(), broadcast.serviceName(), recipients);
  }

  /** Delivers what was already published, then stops. */
  @Override
  public void close() {
    fanOut.shutdown();
    try {
      fanOut.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
