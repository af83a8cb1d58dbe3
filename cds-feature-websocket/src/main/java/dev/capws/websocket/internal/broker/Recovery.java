package dev.capws.websocket.internal.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.targeting.ConnectionRegistry;
import dev.capws.websocket.spi.Position;

/**
 * A client that reconnects with {@code ?since=<seq>} catches up: it first gets
 * {@code {"event":"wsRecovery","data":{"recovered":true,"count":N}}} and the N events it missed, in order, each
 * once, filtered as live delivery would filter them for this connection; then live events, with no gap and no
 * duplicate at the seam (live events wait on the connection while the history is read). When the history no longer
 * reaches back to the position (unknown, malformed, expired, another epoch) it gets {@code "recovered":false} and
 * live events only: it should reload.
 */
public final class Recovery {

  public static final String EVENT = "wsRecovery";
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final Broker broker;
  /** More missed events than this are not replayed (they would overflow the client's queue): the client reloads. */
  private final int maxEvents;
  private final RecoverySettings settings;

  /** @param maxEvents the most missed events replayed (fewer than fit a client's outbound queue) */
  public Recovery(Broker broker, int maxEvents, RecoverySettings settings) {
    this.broker = broker;
    this.maxEvents = maxEvents;
    this.settings = settings;
  }

  /**
   * Whether a client connecting with this {@code ?since=} catches up; if so, its live events wait from now on (call
   * it before the connection is listed, so that none slips past).
   */
  public boolean prepare(Connection connection, String since) {
    if (since == null || !settings.appliesTo(connection.endpoint())) {
      return false;
    }
    connection.holdLive();
    return true;
  }

  /** After it is listed: sends what it missed since {@code since}, then lets live events through. */
  public void replay(Connection connection, String since) {
    Position position = Position.parse(since);
    Optional<List<Delivery>> missed = position == null ? Optional.empty()
        : broker.since(connection.endpoint().serviceName(), position);
    List<OutboundFrame> frames = new ArrayList<>();
    Position last = position;
    if (missed.isPresent()) {
      for (Delivery delivery : missed.get()) {
        last = delivery.position();
        if (ConnectionRegistry.isFor(delivery.envelope(), connection)) {
          frames.add(OutboundFrame.event(delivery.frame(), String.valueOf(delivery.position())));
        }
      }
    }
    if (missed.isEmpty() || frames.size() > maxEvents) {
      LOG.debug("{} cannot catch up from {}: it reloads", connection, since);
      connection.releaseLive(List.of(status(false, 0)), frame -> true);
      return;
    }
    frames.add(0, status(true, frames.size()));
    Position seam = last;
    // Live events that the history already had are not sent twice; those without a position are new.
    connection.releaseLive(frames, frame -> after(frame, seam));
  }

  private static boolean after(OutboundFrame frame, Position seam) {
    Position position = Position.parse(frame.position());
    return position == null || !position.epoch().equals(seam.epoch()) || position.compareTo(seam) > 0;
  }

  private static OutboundFrame status(boolean recovered, int count) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recovered", recovered);
    if (recovered) {
      data.put("count", count);
    }
    return OutboundFrame.text(JsonFrames.event(EVENT, data, null));
  }
}
