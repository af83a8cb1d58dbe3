package dev.capws.websocket.internal.connection;

/**
 * A token bucket for one connection's inbound messages: {@code perSecond} on average, bursts of twice that. Used
 * from the container thread that delivers the connection's messages, one at a time.
 */
public final class RateLimiter {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last = System.nanoTime();

  /** @param perSecond messages per second; 0 or less: no limit */
  public RateLimiter(int perSecond) {
    this.perNano = perSecond / 1e9;
    this.capacity = 2.0 * perSecond;
    this.tokens = capacity;
  }

  public synchronized boolean tryAcquire() {
    if (capacity <= 0) {
      return true;
    }
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
