package dev.capws.websocket.spi;

import java.util.List;

import com.sap.cds.services.environment.CdsEnvironment;

/** What the plugin gives a {@link BrokerEngine} on one instance. */
public interface BrokerContext {

  /** This instance, as {@link BrokerMessage#origin()} names it. */
  String instance();

  /** The qualified names of the services whose messages this instance receives. */
  List<String> services();

  /** The application's configuration, for the engine's own settings. */
  CdsEnvironment environment();

  /**
   * Hands over a message that reached this instance, to be delivered to its clients; returns once the message is
   * queued for them (it may wait while the delivery queue is full, never on a client).
   *
   * @param position where the message stands in its service's history, if the engine keeps one (then events carry
   *                 it as {@code "seq"} and clients can catch up from it), or null
   */
  void receive(BrokerMessage message, Position position);
}
