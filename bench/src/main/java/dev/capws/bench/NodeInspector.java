package dev.capws.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a Node.js server, the counterpart of {@code jcmd GC.class_histogram} for a JVM: SIGUSR1 opens the
 * process's inspector on 127.0.0.1:9229, a Chrome DevTools Protocol session forces a full GC
 * ({@code HeapProfiler.collectGarbage}) and reads V8's used heap ({@code Runtime.getHeapUsage}). The session checks
 * that it talks to the given pid, and {@link #close()} closes the inspector again. One connection, so the JDK's
 * WebSocket client is fine here.
 */
final class NodeInspector implements AutoCloseable {

  private static final Pattern DEBUGGER_URL = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern RESULT_ID = Pattern.compile("^\\{\"id\":(\\d+)");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ConcurrentHashMap<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final WebSocket socket;
  private int nextId = 1;

  NodeInspector(String pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-USR1", pid).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -USR1 " + pid + " failed");
    }
    String url = null;
    String problem = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (url == null) {
      try {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9229/json/list"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = DEBUGGER_URL.matcher(list);
        if (matcher.find()) {
          url = matcher.group(1);
        }
      } catch (IOException e) {
        problem = e.toString(); // not listening yet
      }
      if (url == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the inspector of " + pid + " did not open on 127.0.0.1:9229: " + problem);
        }
        Thread.sleep(200);
      }
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          String message = text.toString();
          text.setLength(0);
          Matcher id = RESULT_ID.matcher(message);
          if (id.find()) {
            CompletableFuture<String> future = pending.remove(Integer.parseInt(id.group(1)));
            if (future != null) {
              future.complete(message);
            }
          }
        }
        webSocket.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
    String actual = call("Runtime.evaluate", "{\"expression\":\"process.pid\"}");
    if (!actual.contains("\"value\":" + pid + "}") && !actual.contains("\"value\":" + pid + ",")) {
      close();
      throw new IllegalStateException("port 9229 is another process's inspector: " + actual);
    }
  }

  /** Forces a full GC, then returns V8's used heap in bytes. */
  long liveHeapBytes() throws Exception {
    call("HeapProfiler.collectGarbage", "{}");
    String usage = call("Runtime.getHeapUsage", "{}");
    Matcher used = Pattern.compile("\"usedSize\":(\\d+)").matcher(usage);
    if (!used.find()) {
      throw new IllegalStateException("no usedSize in " + usage);
    }
    return Long.parseLong(used.group(1));
  }

  private String call(String method, String params) throws Exception {
    int id = nextId++;
    CompletableFuture<String> result = new CompletableFuture<>();
    pending.put(id, result);
    socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
        .get(10, TimeUnit.SECONDS);
    return result.get(60, TimeUnit.SECONDS);
  }

  /** Closes the inspector in the server (it stays out of later runs), then the session. */
  @Override
  public void close() {
    try {
      socket.sendText("{\"id\":999999,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
          + "\"setTimeout(() => process.mainModule.require('inspector').close(), 100), 0\"}}", true)
          .get(5, TimeUnit.SECONDS);
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      Log.log("closing the inspector session: %s", e);
    }
    socket.abort();
  }
}
