package dev.capws.websocket.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one runtime's WebSocket endpoints have sent, received and refused since it started: counted where it happens
 * (adders, cheap on every frame), read by the meters when they are scraped. Plain Java, so the plugin needs no
 * Micrometer to count.
 */
public final class Traffic {

  private final LongAdder framesSent = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder framesReceived = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder slowConsumers = new LongAdder();
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

  /** One frame on the wire to a client, of this many bytes (header included). */
  public void sent(int bytes) {
    framesSent.increment();
    bytesSent.add(bytes);
  }

  /** One message from a client (text, or binary read as text). */
  public void receivedMessage() {
    framesReceived.increment();
  }

  /** Bytes read from a client's socket (frame headers, control frames and all). */
  public void receivedBytes(int bytes) {
    bytesReceived.add(bytes);
  }

  /** A client closed with 1013 because its outbound queue was full. */
  public void slowConsumer() {
    slowConsumers.increment();
  }

  /** An upgrade refused before the 101, for a reason from a small fixed set (a meter tag). */
  public void refused(String reason) {
    refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public long framesSent() {
    return framesSent.sum();
  }

  public long bytesSent() {
    return bytesSent.sum();
  }

  public long framesReceived() {
    return framesReceived.sum();
  }

  public long bytesReceived() {
    return bytesReceived.sum();
  }

  public long slowConsumers() {
    return slowConsumers.sum();
  }

  /** Refusals by reason, as they are now. */
  public Map<String, LongAdder> refused() {
    return refused;
  }
}
