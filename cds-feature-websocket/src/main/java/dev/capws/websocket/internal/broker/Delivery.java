package dev.capws.websocket.internal.broker;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/**
 * An envelope with its place in its service's history, or a null position when it has none (recovery is off for
 * the service, or the history was unreachable when it was published).
 */
public record Delivery(Envelope envelope, Position position) {

  /**
   * The frame as its recipients get it: with {@code "seq"} as its last member when the envelope is positioned (a
   * {@code json} frame of a service with recovery), so that a client can name where it stopped.
   */
  String frame() {
    String frame = envelope.frame();
    if (position == null || !envelope.positioned() || !frame.endsWith("}")) {
      return frame;
    }
    // The position is letters, digits, ':' and '-' only: nothing to escape.
    return frame.substring(0, frame.length() - 1) + ",\"seq\":\"" + position + "\"}";
  }
}
