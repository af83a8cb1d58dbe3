package dev.capws.websocket.internal.broker;

/**
 * A look at the fan-out, for the meters.
 *
 * @param waiting    events waiting for the fan-out now
 * @param delivered  events the fan-out took (and handed to their recipients) since the start
 * @param waitNanos  how long those waited in all, from being handed over to being taken
 */
public record FanOutStats(long waiting, long delivered, long waitNanos) {

  public static final FanOutStats NONE = new FanOutStats(0, 0, 0);
}
