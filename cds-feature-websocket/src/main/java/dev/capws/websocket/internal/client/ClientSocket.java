package dev.capws.websocket.internal.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.internal.socketio.SocketIoPacket;

/**
 * The connection of one client service, with the JDK's WebSocket client: it connects, comes back after a loss with a
 * growing pause (0.5 s doubling to 30 s, with jitter, so that many instances do not return at once), and then asks
 * for what it missed with the last {@code seq} it saw. Replies to calls are matched by {@code id}; everything else is
 * an event, handed over in the order it arrived on one thread of the client's own (so that a handler may call back
 * over the same connection).
 */
final class ClientSocket implements WebSocket.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FIRST_PAUSE_MILLIS = 500;
  private static final long LAST_PAUSE_MILLIS = 30_000;

  private final ClientSettings settings;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ExecutorService events;
  /** (event, data) of each event that arrives. */
  private final BiConsumer<String, Object> onEvent;
  private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final StringBuilder message = new StringBuilder();
  private WebSocket socket;
  /** Frames may be sent: at once for {@code ws}, after the namespace's connect packet for {@code socket.io}. */
  private boolean ready;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private volatile String lastSeq;
  private int failures;
  private boolean closed;

  ClientSocket(ClientSettings settings, HttpClient http, ScheduledExecutorService timer, ExecutorService events,
      BiConsumer<String, Object> onEvent) {
    this.settings = settings;
    this.http = http;
    this.timer = timer;
    this.events = events;
    this.onEvent = onEvent;
  }

  synchronized void connect() {
    if (closed) {
      return;
    }
    WebSocket.Builder builder = http.newWebSocketBuilder();
    settings.headers().forEach(builder::header);
    builder.buildAsync(url(), this).whenComplete((opened, failure) -> {
      if (failure != null) {
        LOG.warn("WebSocket client {} could not connect to {}: {}", settings.name(), settings.url(),
            failure.getMessage());
        retry();
      }
    });
  }

  /** The configured URL, with {@code since} once an event with a position has arrived. */
  private URI url() {
    if (settings.socketIo()) {
      return SocketIoFrames.engine(settings.url(), settings.enginePath());
    }
    String seq = lastSeq;
    if (seq == null) {
      return settings.url();
    }
    String url = settings.url().toString();
    return URI.create(url + (url.contains("?") ? "&" : "?") + "since=" + URLEncoder.encode(seq, StandardCharsets.UTF_8));
  }

  private synchronized void retry() {
    socket = null;
    ready = false;
    if (closed) {
      return;
    }
    long pause = Math.min(LAST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failures++, 6));
    pause = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
    timer.schedule(this::connect, pause, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    synchronized (this) {
      socket = webSocket;
      ready = !settings.socketIo(); // Socket.IO: once the server confirmed the namespace
      failures = 0;
    }
    LOG.info("WebSocket client {} connected to {}", settings.name(), settings.url());
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    message.append(data);
    if (last) {
      String text = message.toString();
      message.setLength(0);
      received(text);
    }
    webSocket.request(1);
    return null;
  }

  private void received(String text) {
    if (settings.socketIo()) {
      receivedSocketIo(text);
      return;
    }
    if (!settings.json()) {
      events.execute(() -> onEvent.accept("message", text));
      return;
    }
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      LOG.warn("WebSocket client {} got a message that is not JSON; skipped", settings.name());
      return;
    }
    if (!frame.isObject() || !frame.path("event").isTextual()) {
      LOG.warn("WebSocket client {} got a frame without an event; skipped", settings.name());
      return;
    }
    JsonNode id = frame.get("id");
    if (id != null && id.canConvertToLong()) { // a reply: to a call of ours, or to a send (not waited for)
      CompletableFuture<JsonNode> call = calls.remove(id.asLong());
      if (call != null) {
        call.complete(frame);
      }
      return;
    }
    if (frame.path("seq").isTextual()) {
      lastSeq = frame.get("seq").asText();
    }
    Object data = plain(frame.get("data"));
    events.execute(() -> onEvent.accept(frame.get("event").asText(), data));
  }

  /**
   * Engine.IO: the open packet is answered by joining the namespace, a ping by a pong; Socket.IO: the namespace's
   * connect makes the connection ready, an event is handed over, an ack completes its call (as a reply frame), a
   * connect error or a disconnect ends the connection (and it comes back).
   */
  private void receivedSocketIo(String text) {
    String namespace = SocketIoFrames.namespace(settings.url());
    if (text.startsWith("0")) {
      sendNow(SocketIoFrames.connect(namespace));
      return;
    }
    if (text.equals("2")) {
      sendNow("3");
      return;
    }
    if (!text.startsWith("4")) { // close (1), noop (6): the socket's own close follows
      return;
    }
    SocketIoPacket packet;
    try {
      packet = SocketIoPacket.read(text.substring(1));
    } catch (IllegalArgumentException e) {
      LOG.warn("WebSocket client {} got a packet that is not Socket.IO ({}); skipped", settings.name(), e.getMessage());
      return;
    }
    switch (packet.type()) {
      case SocketIoPacket.CONNECT -> {
        synchronized (this) {
          ready = socket != null;
        }
        LOG.info("WebSocket client {} joined {}", settings.name(), namespace);
      }
      case SocketIoPacket.EVENT -> {
        if (packet.payload().isArray() && !packet.payload().isEmpty() && packet.payload().get(0).isTextual()) {
          Object data = plain(packet.data());
          events.execute(() -> onEvent.accept(packet.event(), data));
        }
      }
      case SocketIoPacket.ACK -> {
        CompletableFuture<JsonNode> call = calls.remove(packet.ackId());
        if (call != null) {
          call.complete(SocketIoAnswers.asReply(packet.payload()));
        }
      }
      case SocketIoPacket.CONNECT_ERROR, SocketIoPacket.DISCONNECT -> {
        LOG.warn("WebSocket client {} was refused or sent away by {}: {}", settings.name(), namespace,
            packet.payload());
        WebSocket open;
        synchronized (this) {
          open = socket;
        }
        if (open != null) {
          open.abort();
          lost(open, "refused: " + packet.payload());
        }
      }
      default -> LOG.debug("WebSocket client {} ignores a packet of type {}", settings.name(), packet.type());
    }
  }

  /** JSON as maps, lists and values; null for a missing node. */
  static Object plain(JsonNode node) {
    return node == null ? null : JSON.convertValue(node, Object.class);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    lost(webSocket, "closed with " + statusCode + (reason.isEmpty() ? "" : " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    lost(webSocket, String.valueOf(error.getMessage()));
  }

  /** The connection {@code webSocket} is over: unless it was already given up, the client comes back. */
  private void lost(WebSocket webSocket, String why) {
    synchronized (this) {
      if (webSocket != socket) {
        return; // given up on already (its end is reported after the fact): one reconnect per loss
      }
    }
    if (!closed) {
      LOG.warn("WebSocket client {} lost its connection ({}); reconnecting", settings.name(), why);
    }
    message.setLength(0);
    calls.values().forEach(call -> call.completeExceptionally(new IllegalStateException("Connection lost")));
    calls.clear();
    retry();
  }

  /**
   * Sends a frame; fails at once when there is no connection. It carries an id too: servers that answer every frame
   * (as this plugin does) then answer with that id, and the answer is not taken for an event.
   */
  void send(String event, Object data) {
    // Socket.IO: without an ack id, so that the server sends no answer (as socket.emit without a callback)
    send(frame(event, data, settings.socketIo() ? -1 : ids.incrementAndGet()));
  }

  /** Sends a frame with a new id and returns the reply frame when it comes. */
  CompletableFuture<JsonNode> call(String event, Object data) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    calls.put(id, reply);
    try {
      send(frame(event, data, id));
    } catch (RuntimeException e) {
      calls.remove(id);
      throw e;
    }
    return reply.whenComplete((frame, failure) -> calls.remove(id));
  }

  private String frame(String event, Object data, long id) {
    if (settings.socketIo()) {
      return SocketIoFrames.event(SocketIoFrames.namespace(settings.url()), event, data, id);
    }
    if (!settings.json()) {
      return String.valueOf(data);
    }
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("event", event);
    frame.put("data", data);
    frame.put("id", id);
    try {
      return JSON.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The data of '" + event + "' cannot be written as JSON", e);
    }
  }

  /** The JDK's client takes one message at a time: each send waits for the one before. */
  private synchronized void send(String text) {
    if (socket == null || !ready) {
      throw new IllegalStateException("WebSocket client " + settings.name() + " is not connected");
    }
    sendNow(text);
  }

  /** Sends on the open socket, after what is being sent; protocol packets go even before the connection is ready. */
  private synchronized void sendNow(String text) {
    WebSocket open = socket;
    if (open != null) {
      sending = sending.handle((done, failure) -> null).thenCompose(v -> open.sendText(text, true));
    }
  }

  synchronized boolean connected() {
    return socket != null && ready && !socket.isOutputClosed();
  }

  synchronized void close() {
    closed = true;
    if (socket != null) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
      socket = null;
    }
  }
}
