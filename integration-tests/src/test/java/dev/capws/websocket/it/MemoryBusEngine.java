package dev.capws.websocket.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.capws.websocket.spi.BrokerContext;
import dev.capws.websocket.spi.BrokerEngine;
import dev.capws.websocket.spi.BrokerMessage;
import dev.capws.websocket.spi.MessageBus;
import dev.capws.websocket.spi.Position;
import dev.capws.websocket.spi.PositionedMessage;

/**
 * A broker engine as an application would write one ({@code cds.websocket.broker: memory-bus}), over a message
 * system that is one hub per JVM: each service's messages in order, kept as history, handed to every connected
 * instance on one thread of the hub's (so in publish order, and never on the publisher's thread).
 */
public final class MemoryBusEngine implements BrokerEngine {

  static final Hub HUB = new Hub();

  @Override
  public String name() {
    return "memory-bus";
  }

  @Override
  public MessageBus open(BrokerContext context) {
    HUB.join(context);
    return new MessageBus() {
      @Override
      public void publish(BrokerMessage message) {
        HUB.append(message);
      }

      @Override
      public void publishDurably(BrokerMessage message) {
        HUB.append(message);
      }

      @Override
      public Optional<List<PositionedMessage>> since(String service, Position position) {
        return HUB.since(service, position);
      }

      @Override
      public void close() {
        HUB.leave(context);
      }
    };
  }

  /** The message system: one history per service, positions {@code mem:<n>-0}. */
  static final class Hub {

    private static final String EPOCH = "mem";

    private final Map<String, List<PositionedMessage>> histories = new ConcurrentHashMap<>();
    private final List<BrokerContext> instances = new ArrayList<>();
    private final ExecutorService handing = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "memory-bus");
      thread.setDaemon(true);
      return thread;
    });

    synchronized void join(BrokerContext instance) {
      instances.add(instance);
    }

    synchronized void leave(BrokerContext instance) {
      instances.remove(instance);
    }

    /** Appends a message to its service's history and hands it to every instance connected now. */
    synchronized void append(BrokerMessage message) {
      List<PositionedMessage> history = histories.computeIfAbsent(message.service(), s -> new ArrayList<>());
      PositionedMessage stored = new PositionedMessage(message, new Position(EPOCH, history.size() + 1L, 0));
      history.add(stored);
      List<BrokerContext> receivers = List.copyOf(instances);
      handing.execute(() -> receivers.forEach(instance -> instance.receive(stored.message(), stored.position())));
    }

    synchronized Optional<List<PositionedMessage>> since(String service, Position position) {
      List<PositionedMessage> history = histories.getOrDefault(service, List.of());
      if (!EPOCH.equals(position.epoch()) || position.major() > history.size()) {
        return Optional.empty();
      }
      return Optional.of(List.copyOf(history.subList((int) position.major(), history.size())));
    }
  }
}
