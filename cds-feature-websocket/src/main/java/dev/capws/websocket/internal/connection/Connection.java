package dev.capws.websocket.internal.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import jakarta.servlet.ServletOutputStream;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.metrics.Traffic;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * One connected client: who it is (the user and tenant of its upgrade request, its {@code ?id=} identifier), which
 * endpoint it is on, its contexts, its outbound queue and its close. Everything the rest of the plugin needs, with no
 * container types. It exists from the moment the upgrade is accepted; frames sent before the container hands the
 * socket over wait and leave then.
 */
public final class Connection {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final long id = SEQUENCE.incrementAndGet();
  /** Final once listed; a Socket.IO connection learns it from the client's namespace connect (see {@link #serve}). */
  private volatile WebSocketEndpoint endpoint;
  private final UserInfo user;
  private final String identifier;
  private final CloseHandshake handshake = new CloseHandshake();
  private final FrameWriter writer = new FrameWriter(handshake);
  private final Outbox outbox;
  private final Traffic traffic;
  private final Set<String> contexts = ConcurrentHashMap.newKeySet();
  private final int maxContexts;
  /** Set when a ping goes out, cleared by the pong or any message: still set at the next beat means dead. */
  private volatile boolean awaitingPong;
  /** When the token of the upgrade request expires, or null if it does not (or is not a token). */
  private volatile Instant expiresAt;
  private Membership membership;
  /** The services of mixin events joined to this path that this client's user may not access (see {@link #hears}). */
  private volatile Set<String> unheard = Set.of();
  /** Where the application's code runs once this connection is over; null until a socket is bound to it. */
  private volatile ClosingHooks hooks;
  /** While the client catches up ({@code ?since=}); null otherwise, which is the fast path of every send. */
  private volatile CatchUp catchingUp;
  /** What the heartbeat sends: an RFC 6455 ping, or an Engine.IO ping text for Socket.IO clients. */
  private volatile OutboundFrame pingFrame = OutboundFrame.PING;
  /** Who takes the socket's output instead of the writer (see {@link #takeSocketOutput}), or null. */
  private volatile Consumer<ServletOutputStream> socketTaker;

  /**
   * A client catching up: live frames wait in {@code held} until what it missed has been sent; after that, live
   * frames that the missed ones already contained ({@code keep} false) are dropped until the first newer one passes.
   */
  private record CatchUp(List<OutboundFrame> held, Predicate<OutboundFrame> keep) {
  }

  /** A connection whose traffic nobody counts (tests). */
  public Connection(WebSocketEndpoint endpoint, UserInfo user, String identifier, Limits limits) {
    this(endpoint, user, identifier, limits, new Traffic());
  }

  /** @param traffic where its frames and bytes are counted, with those of the runtime's other connections */
  public Connection(WebSocketEndpoint endpoint, UserInfo user, String identifier, Limits limits, Traffic traffic) {
    this.endpoint = endpoint;
    this.user = user;
    this.identifier = identifier;
    this.maxContexts = limits.maxContexts();
    this.traffic = traffic;
    this.outbox = new Outbox(writer, limits.outboundQueueLimit(), limits.outboundQueueBytes(), traffic);
  }

  Traffic traffic() {
    return traffic;
  }

  /** Unique among the connections of this instance. */
  public long id() {
    return id;
  }

  public WebSocketEndpoint endpoint() {
    return endpoint;
  }

  // --- Socket.IO (internal/socketio): an Engine.IO connection exists before it names its service, its pings are
  // text, and a long-polling one has no socket of its own.

  /** Serves this endpoint from now on: set before the connection is listed, never after. */
  public synchronized void serve(WebSocketEndpoint served) {
    if (membership != null) {
      throw new IllegalStateException(this + " is listed already");
    }
    this.endpoint = served;
  }

  /** The heartbeat sends this frame instead of an RFC 6455 ping. */
  public void pingWith(OutboundFrame frame) {
    this.pingFrame = frame;
  }

  /** Frames are written to this stream (a long-polling transport's, or a socket's after an upgrade). */
  public void attach(ServletOutputStream stream) {
    writer.attach(stream);
  }

  /**
   * The socket's output, once the container hands it over, goes here instead of to the writer: a long-polling
   * session that upgrades moves to the socket only when its client says so.
   */
  public void takeSocketOutput(Consumer<ServletOutputStream> taker) {
    this.socketTaker = taker;
  }

  /** The container handed the socket over. */
  void socketOutput(ServletOutputStream stream) {
    Consumer<ServletOutputStream> taker = socketTaker;
    if (taker != null) {
      taker.accept(stream);
    } else {
      writer.attach(stream);
    }
  }

  /**
   * Binds a transport of its own (Socket.IO's long-polling, which has no upgrade handler), as an upgrade handler
   * binds a socket: on the thread that notices the close, {@code release} runs and the listing goes before any hook;
   * {@code closed} then runs on the closing hooks' threads.
   */
  public void bindTransport(OpenConnections open, Runnable release, IntConsumer closed) {
    runHooksOn(open.hooks());
    handshake.whenClosed(code -> {
      released();
      release.run();
      open.remove(this);
      leave();
      afterClose(() -> closed.accept(code));
    });
  }

  /** The transport is gone without a close handshake (a long-polling session that ended): the connection ends. */
  public void transportGone() {
    handshake.hungUp();
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
    if (membership != null) {
      membership.entered(this, context);
    }
    return true;
  }

  public synchronized void exit(String context) {
    if (contexts.remove(context) && membership != null) {
      membership.exited(this, context);
    }
  }

  /** Leaves every context. */
  public synchronized void reset() {
    for (String context : Set.copyOf(contexts)) {
      exit(context);
    }
  }

  /** Listed for events; index changes go through this lock, so a context entered while it closes cannot linger. */
  public synchronized void listedIn(Membership listing) {
    this.membership = listing;
  }

  /** No longer listed for events; false if it was not listed (or had left already). */
  public synchronized boolean leave() {
    if (membership == null) {
      return false;
    }
    membership.left(this);
    membership = null;
    return true;
  }

  /** Queues a frame for this client without waiting for the network. */
  public boolean send(String frame) {
    return send(OutboundFrame.text(frame));
  }

  /** Queues several frames at once: they leave together. */
  public boolean send(List<OutboundFrame> frames) {
    return catchingUp != null ? sendCatchingUp(frames) : outbox.offer(frames);
  }

  /** Queues an encoded frame (one instance serves every recipient of a broadcast). */
  public boolean send(OutboundFrame frame) {
    return catchingUp != null ? sendCatchingUp(List.of(frame)) : outbox.offer(frame);
  }

  /**
   * Live frames wait from now on, until {@link #releaseLive}: called before the connection is listed, so that the
   * first live event already waits.
   */
  public synchronized void holdLive() {
    catchingUp = new CatchUp(new ArrayList<>(), null);
  }

  /**
   * Sends {@code first} (what the client missed), then the live frames that waited and that {@code keep} accepts
   * (those the missed ones do not already contain), then lets live frames through again; until one newer than the
   * missed ones passes, later live events that {@code keep} refuses are dropped too (the fan-out may still be
   * delivering events the history already had); frames without a position (replies) always pass.
   */
  public synchronized void releaseLive(List<OutboundFrame> first, Predicate<OutboundFrame> keep) {
    List<OutboundFrame> frames = new ArrayList<>(first);
    catchingUp.held().stream().filter(keep).forEach(frames::add);
    outbox.offer(frames);
    catchingUp = frames.stream().skip(first.size()).anyMatch(frame -> frame.position() != null) ? null
        : new CatchUp(null, keep);
  }

  private synchronized boolean sendCatchingUp(List<OutboundFrame> frames) {
    CatchUp state = catchingUp;
    if (state == null) {
      return outbox.offer(frames); // caught up meanwhile
    }
    if (state.held() != null) {
      state.held().addAll(frames);
      return true;
    }
    List<OutboundFrame> fresh = frames.stream().filter(frame -> frame.position() == null || state.keep().test(frame))
        .toList();
    if (fresh.stream().anyMatch(frame -> frame.position() != null)) {
      catchingUp = null; // past the missed ones: from here on, live as usual
    }
    return fresh.isEmpty() || outbox.offer(fresh);
  }

  /** Closes once every frame queued so far has left: nothing already sent to this client is lost. */
  public void closeWhenDrained(int code, String reason) {
    outbox.whenDrained(() -> close(code, reason));
  }

  /**
   * An application's close: once what was sent before has left.
   *
   * @throws IllegalArgumentException for a code a close frame may not carry
   */
  public void disconnect(int code, String reason) {
    if (!CloseCodes.maySend(code)) {
      throw new IllegalArgumentException("Close code " + code + " may not be sent (RFC 6455, 7.4)");
    }
    closeWhenDrained(code, reason);
  }

  /** Starts the close handshake: frames not yet written are dropped, the close frame is the last thing sent. */
  public void close(int code, String reason) {
    outbox.stop();
    writer.close(code, reason);
  }

  /**
   * Runs the application's callback once this connection has closed, with the close code (at once if it has): on
   * the hook threads, after the hooks handed over before it ({@link ClosingHooks}).
   */
  public void onClosed(IntConsumer callback) {
    handshake.whenClosed(code -> afterClose(() -> callback.accept(code)));
  }

  /** From now on, application code that follows the close runs on these hooks' threads. */
  void runHooksOn(ClosingHooks closingHooks) {
    this.hooks = closingHooks;
  }

  /** Runs application code that follows the close, after this connection's earlier hooks. */
  void afterClose(Runnable hook) {
    ClosingHooks current = hooks;
    if (current == null) {
      hook.run(); // never bound to a socket: nothing was delivered to it, nobody waits for this thread
    } else {
      current.run(this, hook);
    }
  }

  /**
   * Set at the upgrade: mixin events of these services (joined to this path from a service with its own
   * {@code @requires} / {@code @restrict} that the user does not meet) must not reach this client.
   */
  public void mayNotHear(Set<String> services) {
    this.unheard = Set.copyOf(services);
  }

  /** Whether events of this service (a mixin's own service) may reach this client. */
  public boolean hears(String service) {
    return !unheard.contains(service);
  }

  public void expiresAt(Instant instant) {
    this.expiresAt = instant;
  }

  /** Whether the token of the upgrade request has expired by now. */
  public boolean isExpired(Instant now) {
    Instant expiry = expiresAt;
    return expiry != null && !now.isBefore(expiry);
  }

  /** Whether the client's socket is full: a write waits for it to read. */
  boolean socketFull() {
    return writer.blockedSince() != 0;
  }

  /** What runs when the client reads again after its socket was full, on the thread that finds that: hand work over. */
  void whenSocketDrains(Runnable action) {
    writer.whenResumed(action);
  }

  /** Whether a write to this client has waited longer than the given time for it to read. */
  boolean stalledLongerThan(long millis, long nowNanos) {
    long since = writer.blockedSince();
    return since != 0 && nowNanos - since > millis * 1_000_000;
  }

  /** Sends a ping; returns false if the previous one was never answered (nor anything else received since). */
  boolean ping() {
    if (awaitingPong) {
      return false;
    }
    awaitingPong = true;
    outbox.offerPing(pingFrame);
    return true;
  }

  /** Answers the client's ping; a later ping's answer replaces this one if it has not left yet. */
  void pong(byte[] payload) {
    outbox.offerPong(OutboundFrame.pong(payload));
  }

  /** The client is alive: it answered a ping or sent a message. */
  public void alive() {
    awaitingPong = false;
  }

  CloseHandshake handshake() {
    return handshake;
  }

  FrameWriter writer() {
    return writer;
  }

  /** The connection is over: nothing more is queued or written. */
  void released() {
    outbox.stop();
    writer.release();
  }

  @Override
  public String toString() {
    return "Connection#" + id + "(" + endpoint.path() + ", user " + user.getName() + ")";
  }
}
