package dev.capws.websocket.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
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
 *
 * <p>When events arrive faster than one fan-out pass takes, they wait here; the next pass takes all of them (up to
 * {@link #MAX_BATCH}) and hands each client its share in one go, which the transport writes with one system call.
 * Writing to a socket costs about the same for one frame as for ten, so under load the cost per frame drops instead
 * of the queue growing, and a quiet system still sends each event at once.
 */
public final class LocalBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
  private static final int MAX_BATCH = 256;

  private final ConnectionRegistry registry;
  private final LinkedBlockingQueue<Broadcast> queue = new LinkedBlockingQueue<>();
  private final Thread fanOut;
  private volatile boolean closing;

  public LocalBroker(ConnectionRegistry registry) {
    this.registry = registry;
    this.fanOut = new Thread(this::run, "ws-fan-out");
    fanOut.setDaemon(true);
    fanOut.start();
  }

  @Override
  public void publish(Broadcast broadcast) {
    if (closing) {
      LOG.warn("Dropped event '{}': the WebSocket broker is shut down", broadcast.event());
      return;
    }
    queue.add(broadcast);
  }

  private void run() {
    List<Broadcast> batch = new ArrayList<>();
    while (true) {
      try {
        Broadcast first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        deliver(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) { // the fan-out must outlive any one failure
        LOG.warn("Delivering {} events failed", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
  }

  private void deliver(List<Broadcast> batch) {
    if (batch.size() == 1) {
      Broadcast broadcast = batch.get(0);
      OutboundFrame frame = OutboundFrame.text(broadcast.frame()); // encoded once, shared by every recipient
      int recipients = 0;
      for (Connection connection : recipients(broadcast)) {
        if (connection.id() != broadcast.except()) {
          send(connection, frame);
          recipients++;
        }
      }
      LOG.debug("Event '{}' of {} went to {} clients", broadcast.event(), broadcast.serviceName(), recipients);
      return;
    }
    // Several events waited: gather each client's frames, in commit order, and hand them over together.
    Map<Connection, List<OutboundFrame>> shares = new HashMap<>();
    for (Broadcast broadcast : batch) {
      OutboundFrame frame = OutboundFrame.text(broadcast.frame());
      for (Connection connection : recipients(broadcast)) {
        if (connection.id() != broadcast.except()) {
          shares.computeIfAbsent(connection, c -> new ArrayList<>(batch.size())).add(frame);
        }
      }
    }
    shares.forEach(this::send);
    LOG.debug("{} events went to {} clients in one pass", batch.size(), shares.size());
  }

  private Iterable<Connection> recipients(Broadcast broadcast) {
    return registry.select(broadcast.serviceName(), broadcast.tenant(), broadcast.targeting());
  }

  private void send(Connection connection, OutboundFrame frame) {
    try {
      connection.send(frame);
    } catch (RuntimeException e) { // one client's failure must not cost the others the event
      LOG.warn("Delivering to {} failed", connection, e);
    }
  }

  private void send(Connection connection, List<OutboundFrame> frames) {
    try {
      connection.send(frames);
    } catch (RuntimeException e) {
      LOG.warn("Delivering to {} failed", connection, e);
    }
  }

  /** Delivers what was already published (waiting at most 5 s), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      fanOut.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
