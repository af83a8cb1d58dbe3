package dev.capws.websocket.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real WebSocket client (the JDK's) for tests: it records every frame it receives, in order, and lets a test wait
 * for a frame or for the close with a bounded timeout instead of sleeping.
 */
public final class WsClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingDeque<String> frames = new LinkedBlockingDeque<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final WebSocket socket;

  /** How the server closed the connection: the code (1006 when the connection just ended) and the reason. */
  public record Close(int code, String reason) {
  }

  private WsClient(URI uri, Map<String, String> headers, String... subprotocols) {
    try {
      this.socket = builder(headers, subprotocols).buildAsync(uri, new Recorder())
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not connect to " + uri, e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Could not connect to " + uri, e);
    }
  }

  public static WsClient connect(URI uri) {
    return new WsClient(uri, Map.of());
  }

  /** Connects with extra handshake headers (e.g. Authorization) and offered subprotocols. */
  public static WsClient connect(URI uri, Map<String, String> headers, String... subprotocols) {
    return new WsClient(uri, headers, subprotocols);
  }

  /** An Authorization header for HTTP basic authentication. */
  public static Map<String, String> basic(String user, String password) {
    return Map.of("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private static WebSocket.Builder builder(Map<String, String> headers, String... subprotocols) {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
    headers.forEach(builder::header);
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    return builder;
  }

  /** The subprotocol the server chose, or "" for none. */
  public String subprotocol() {
    return socket.getSubprotocol();
  }

  /** The HTTP status a handshake to {@code uri} is refused with, or 101 if it succeeds. */
  public static int handshakeStatus(URI uri) {
    return handshakeStatus(uri, Map.of());
  }

  /** The HTTP status a handshake with these headers is refused with, or 101 if it succeeds. */
  public static int handshakeStatus(URI uri, Map<String, String> headers) {
    try {
      builder(headers).buildAsync(uri, new WebSocket.Listener() {})
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  public WsClient send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  public WsClient send(Object frame) {
    try {
      return send(MAPPER.writeValueAsString(frame));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public WsClient sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    return this;
  }

  /** The next frame, whatever it is. */
  public JsonNode next() {
    try {
      String frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("No frame within " + TIMEOUT);
      }
      return MAPPER.readTree(frame);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Frame is not JSON", e);
    }
  }

  /** The next frame as its text, whatever it is (for protocols whose frames are not JSON, like Engine.IO's). */
  public String nextText() {
    try {
      String frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("No frame within " + TIMEOUT);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame with this {@code event}; frames before it are skipped. */
  public JsonNode next(String event) {
    return next(frame -> event.equals(frame.path("event").asText()));
  }

  /** The next frame that matches; frames before it are skipped. */
  public JsonNode next(Predicate<JsonNode> matching) {
    return next(matching, TIMEOUT);
  }

  /** The next frame with this {@code event}, waiting longer than usual for what comes late by design. */
  public JsonNode next(String event, Duration timeout) {
    return next(frame -> event.equals(frame.path("event").asText()), timeout);
  }

  private JsonNode next(Predicate<JsonNode> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String frame;
      try {
        frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (frame == null) {
        break;
      }
      JsonNode node = parse(frame);
      if (matching.test(node)) {
        return node;
      }
      skipped.add(node);
    }
    throw new AssertionError("No matching frame within " + timeout + "; got " + skipped);
  }

  /**
   * The first frame that matches, waiting for it if need be; frames before it stay, in order, for the next call
   * (unlike {@link #next(Predicate)}, which drops them).
   */
  public JsonNode take(Predicate<JsonNode> matching) {
    List<String> before = new ArrayList<>();
    try {
      while (true) {
        String frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
          throw new AssertionError("No matching frame within " + TIMEOUT + "; got " + before);
        }
        JsonNode node = parse(frame);
        if (matching.test(node)) {
          return node;
        }
        before.add(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      for (int i = before.size() - 1; i >= 0; i--) {
        frames.addFirst(before.get(i));
      }
    }
  }

  /** Frames received and not yet taken, without waiting. */
  public List<String> pending() {
    return List.copyOf(frames);
  }

  /** Waits until the server closes the connection. */
  public Close awaitClose() {
    try {
      return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("Connection not closed within " + TIMEOUT, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone() || socket.isInputClosed();
  }

  /** Drops the TCP connection without a close frame, like a client whose network vanished. */
  public void abort() {
    socket.abort();
  }

  /** Closes normally: sends a close frame and waits (bounded) for the server's, then drops the connection. */
  @Override
  public void close() {
    try {
      if (!socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | CompletionException e) {
      // the connection is already gone
    } finally {
      socket.abort();
    }
  }

  private static JsonNode parse(String frame) {
    try {
      return MAPPER.readTree(frame);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Frame is not JSON: " + frame, e);
    }
  }

  /**
   * Stops reading from the socket, like a client that hangs: the server's frames pile up in the TCP buffers and then
   * on the server.
   */
  public void pauseReading() {
    paused = true;
  }

  private volatile boolean paused;

  private final class Recorder implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(text.toString());
        text.setLength(0);
      }
      if (!paused) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Close(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(new Close(1006, String.valueOf(error.getMessage())));
    }
  }
}
