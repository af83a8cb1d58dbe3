package dev.capws.websocket.internal.broker;

/**
 * How far the fan-out may fall behind before emitters wait for it: by the events that wait, and by how long the
 * oldest of them has waited. The count bounds memory. The time bounds latency at any number of clients (a pass to
 * 15,000 clients takes a hundred times longer than one to 150), like CoDel's target delay: a burst that arrives
 * during a pass may queue and then share its writes, but once an event has waited longer than the delay, emitters
 * wait for the fan-out instead of letting the queue stand.
 *
 * @param events      {@code cds.websocket.fan-out-queue}: events that may wait (at least 1)
 * @param delayMillis {@code cds.websocket.fan-out-delay}: how long the oldest waiting event may have waited before
 *                    emitters wait; 0 bounds by count alone
 */
public record FanOutBound(int events, long delayMillis) {

  /** A bound by count alone (tests). */
  public static FanOutBound events(int events) {
    return new FanOutBound(events, 0);
  }
}
