package dev.capws.websocket.transport;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.model.WebSocketEndpoint;

/**
 * One connected client: who it is (the user and tenant of its upgrade request, its {@code ?id=} identifier), which
 * endpoint it is on, and its outbound queue. Everything the rest of the plugin needs, with no container types.
 */
public final class Connection {

  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final long id = SEQUENCE.incrementAndGet();
  private final WebSocketEndpoint endpoint;
  private final UserInfo user;
  private final String identifier;
  private final Outbox outbox;
  private final DeferredSink sink = new DeferredSink();
  private final Set<String> contexts = ConcurrentHashMap.newKeySet();
  private final List<Consumer<Integer>> closeListeners = new CopyOnWriteArrayList<>();
  private final int maxContexts;
  /** Set when a ping goes out, cleared by the pong or any message: still set at the next beat means dead. */
  private volatile boolean awaitingPong;
  /** When the token of the upgrade request expires, or null if it does not (or is not a token). */
  private volatile Instant expiresAt;
  /** Set once closed; callbacks registered later run at once. */
  private Integer closeCode;
  private ClientGroup group;

  Connection(WebSocketEndpoint endpoint, UserInfo user, String identifier, int queueLimit, long queueBytes,
      int maxContexts) {
    this.maxContexts = maxContexts;
    this.endpoint = endpoint;
    this.user = user;
    this.identifier = identifier;
    this.outbox = new Outbox(sink, queueLimit, queueBytes);
  }

  public long id() {
    return id;
  }

  public WebSocketEndpoint endpoint() {
    return endpoint;
  }

  /** The user of the upgrade request; every call this client makes runs as this user. */
  public UserInfo user() {
    return user;
  }

  /** The tenant of the upgrade request, or null for a single-tenant application. */
  public String tenant() {
    return user.getTenant();
  }

  /** The client's {@code ?id=} query parameter, or null. */
  public String identifier() {
    return identifier;
  }

  /** The contexts this client is in (a live view). */
  public Set<String> contexts() {
    return Collections.unmodifiableSet(contexts);
  }

  /**
   * Enters a context: events targeted at it reach this client.
   *
   * @return false if the connection is already in as many contexts as it may be
   */
  public synchronized boolean enter(String context) {
    if (contexts.contains(context)) {
      return true;
    }
    if (contexts.size() >= maxContexts) {
      return false;
    }
    contexts.add(context);
    if (group != null) {
      group.enter(this, context);
    }
    return true;
  }

  public synchronized void exit(String context) {
    if (contexts.remove(context) && group != null) {
      group.exit(this, context);
    }
  }

  /** Leaves every context. */
  public synchronized void reset() {
    for (String context : Set.copyOf(contexts)) {
      exit(context);
    }
  }

  /** Index changes go through the connection's lock, so a context entered while it closes cannot linger. */
  synchronized void joined(ClientGroup group) {
    this.group = group;
    group.add(this);
  }

  /** Leaves the group it joined; false if it had not joined (or already left). */
  synchronized boolean left() {
    if (group == null) {
      return false;
    }
    group.remove(this);
    group = null;
    return true;
  }

  /** Queues a frame for this client without waiting for the network. */
  public boolean send(String frame) {
    return outbox.offer(OutboundFrame.text(frame));
  }

  /** Queues several frames at once: they leave together. */
  public boolean send(List<OutboundFrame> frames) {
    return outbox.offer(frames);
  }

  /** Queues an encoded frame (one instance serves every recipient of a broadcast). */
  public boolean send(OutboundFrame frame) {
    return outbox.offer(frame);
  }

  /** Closes once every frame queued so far has left: nothing already sent to this client is lost. */
  public void closeWhenDrained(int code, String reason) {
    outbox.whenDrained(() -> close(code, reason));
  }

  public void close(int code, String reason) {
    outbox.close();
    sink.close(code, reason);
  }

  void expiresAt(Instant instant) {
    this.expiresAt = instant;
  }

  /** Whether the token of the upgrade request has expired by now. */
  public boolean isExpired(Instant now) {
    Instant expiry = expiresAt;
    return expiry != null && !now.isBefore(expiry);
  }

  /** Whether a write to this client has waited longer than the given time for it to read. */
  boolean stalledLongerThan(long millis, long nowNanos) {
    long since = sink.blockedSince();
    return since != 0 && nowNanos - since > millis * 1_000_000;
  }

  /** The upgrade completed: frames queued since it was answered go out. */
  void attach(FrameSink session) {
    sink.attach(session);
  }

  /** Sends a ping; returns false if the previous one was never answered (nor anything else received since). */
  boolean ping() {
    if (awaitingPong) {
      return false;
    }
    awaitingPong = true;
    outbox.offerPing();
    return true;
  }

  /** The client is alive: it answered a ping or sent a message. */
  void alive() {
    awaitingPong = false;
  }

  /** Runs the callback once this connection has closed, with the close code (at once if it has). */
  public void onClosed(Consumer<Integer> callback) {
    synchronized (closeListeners) {
      if (closeCode == null) {
        closeListeners.add(callback);
        return;
      }
    }
    callback.accept(closeCode);
  }

  void closed(int code) {
    outbox.close();
    synchronized (closeListeners) {
      closeCode = code;
    }
    for (Consumer<Integer> listener : closeListeners) {
      try {
        listener.accept(code);
      } catch (RuntimeException e) {
        LOG.warn("A disconnect callback of {} failed", this, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Connection#" + id + "(" + endpoint.path() + ", user " + user.getName() + ")";
  }
}
