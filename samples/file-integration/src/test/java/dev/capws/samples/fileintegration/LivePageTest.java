package dev.capws.samples.fileintegration;

import static dev.capws.samples.fileintegration.LivePageDriver.LIVE;
import static dev.capws.samples.fileintegration.LivePageDriver.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.Chromium;

/**
 * The live page at /app/ and the browser client /ws/client.js, in headless Chromium against the sample on a random
 * port (with recovery on, as the README's two-instance setup has it). Two browsers are two users: what one does, the
 * other sees within a second.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cds.websocket.recovery.enabled=true")
@Import(DropOnRequest.class)
class LivePageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Started on the first browser test and kept for the class: starting Chromium is the slow part. */
  private static WebDriver first;
  private static WebDriver second;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    Path file = Files.createTempFile("live-page-test", ".sqlite");
    file.toFile().deleteOnExit();
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + file);
  }

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @AfterAll
  static void quit() {
    for (WebDriver driver : new WebDriver[] { first, second }) {
      if (driver != null) {
        driver.quit();
      }
    }
  }

  @Test
  @DisplayName("C3: the plugin serves /ws/client.js as JavaScript; /app/ is the page; CAP's index page links it")
  void served() throws Exception {
    HttpResponse<String> script = get("/ws/client.js", Map.of());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/javascript"));
    assertThat(script.body()).contains("CapWebSocket");
    String etag = script.headers().firstValue("ETag").orElseThrow();
    assertThat(get("/ws/client.js", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
    // Only that name is served: everything else below /ws is still a WebSocket path or 404.
    assertThat(get("/ws/client.json", Map.of()).statusCode()).isEqualTo(404);
    assertThat(get("/ws/chat", Map.of()).statusCode()).isEqualTo(426);

    HttpResponse<String> page = get("/app/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"../ws/client.js\"></script>");
    assertThat(get("/app", Map.of()).headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).endsWith("/app/"));
    assertThat(get("/", Map.of()).body()).contains("<a href=\"/app/\">");
  }

  @Test
  @DisplayName("C3 E1: a change made through OData or on one page shows on the other page within a second")
  void twoPagesFollowChanges() throws Exception {
    LivePageDriver alice = page(1);
    LivePageDriver bob = page(2);

    odata("POST", "/odata/v4/test/Data", Map.of("value", "from OData", "count", 1));
    alice.awaitRow("from OData", LIVE);
    assertThat(bob.awaitRow("from OData", LIVE).getAttribute("class")).contains("changed");

    // Alice creates a row with the form: Bob sees it.
    alice.type("value", "from Alice");
    alice.type("count", "2");
    alice.click("create");
    bob.awaitRow("from Alice", LIVE);

    // Alice edits it: Bob sees the new value and count, not the old one.
    alice.awaitRow("from Alice", LIVE).click();
    alice.type("value", "edited by Alice");
    alice.type("count", "3");
    alice.click("save");
    var edited = bob.awaitRow("edited by Alice", LIVE);
    assertThat(edited.findElement(By.className("count")).getText()).isEqualTo("3");
    assertThat(bob.rows("from Alice")).isEmpty();

    // Bob deletes it: it leaves Alice's page, and the store.
    edited.click();
    bob.click("delete");
    alice.awaitNoRow("edited by Alice", LIVE);
    JsonNode stored = odata("GET", "/odata/v4/test/Data?$filter=value%20eq%20'edited%20by%20Alice'", null);
    assertThat(stored.get("value")).isEmpty();
  }

  @Test
  @DisplayName("C3 O1 B1: the chat calls message and shows the reply; a system message appears on every page")
  void chatAndSystemMessage() throws Exception {
    LivePageDriver alice = page(1);
    LivePageDriver bob = page(2);

    alice.type("chat-text", "hello from the browser");
    alice.driver.findElement(By.cssSelector("#chat-form button")).click();
    alice.await(LIVE, "the reply in the chat",
        d -> texts(d, "#chat-log li.reply").contains("Message received: hello from the browser"));
    assertThat(texts(alice.driver, "#chat-log li.mine")).containsExactly("hello from the browser");
    assertThat(texts(bob.driver, "#chat-log li")).isEmpty(); // the reply goes to the caller only

    bob.type("system-text", "maintenance at noon");
    bob.driver.findElement(By.cssSelector("#system-form button")).click();
    for (LivePageDriver page : List.of(alice, bob)) {
      page.await(LIVE, "the system message",
          d -> texts(d, "#system-messages li").stream().anyMatch(t -> t.endsWith("maintenance at noon")));
    }
    bob.await(LIVE, "the reply to sendSystemMessage",
        d -> "System message sent".equals(d.findElement(By.id("system-reply")).getText()));
  }

  @Test
  @DisplayName("B1: client.js call() resolves with its own reply's data and rejects with the error frame")
  void callResolvesAndRejects() {
    LivePageDriver page = page(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) page.driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const client = CapWebSocket.connect('../ws/chat');
        const outcome = (promise) => promise.then(
            (data) => ({ data }),
            (e) => ({ error: e instanceof CapWebSocket.Error && e instanceof Error, name: e.name, status: e.status,
                      code: e.code, target: e.target ?? null, message: e.message, frameId: e.frame.id }));
        Promise.all([
          outcome(client.call('message', { text: 'one' })),
          outcome(client.call('message', { text: 42 })),
          outcome(client.call('message', { text: 'two' })),
          outcome(client.call('nope', { x: 1 })),
          outcome(client.call('sendSystemMessage', { text: 'from a call' }))
        ]).then((results) => { client.close(); done({ results }); });
        """);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) result.get("results");
    // Sent together: each Promise got the reply that carries its id.
    assertThat(results.get(0)).isEqualTo(Map.of("data", "Message received: one"));
    assertThat(results.get(2)).isEqualTo(Map.of("data", "Message received: two"));
    assertThat(results.get(1)).containsEntry("error", true).containsEntry("name", "CapWebSocketError")
        .containsEntry("status", 400L).containsEntry("code", "INVALID_PARAMETER").containsEntry("target", "text")
        .containsEntry("frameId", "c2");
    assertThat(results.get(3)).containsEntry("error", true).containsEntry("status", 404L)
        .containsEntry("code", "UNKNOWN_EVENT").containsEntry("frameId", "c4");
    // The systemMessage event this call emits (no id, maybe first) is not taken for its reply.
    assertThat(results.get(4)).isEqualTo(Map.of("data", "System message sent"));
  }

  @Test
  @DisplayName("B3 E5: dropped by the server, client.js reconnects with ?since=, gets what it missed and its contexts back")
  void catchUpAfterDrop() throws Exception {
    LivePageDriver page = page(1);
    JavascriptExecutor js = (JavascriptExecutor) page.driver;
    // A client of its own that waits for reconnect() instead of a backoff: the test decides when it comes back.
    js.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const client = window.testClient = CapWebSocket.connect('../ws/chat',
            { id: 'catch-up', minDelay: 600000, maxDelay: 600000 });
        window.testLog = [];
        for (const event of ['wsRecovery', 'wsReload', 'serverNotification']) {
          client.on(event, (data) => testLog.push(event + ' ' + JSON.stringify(
              event === 'serverNotification' ? data.data.value : data)));
        }
        client.enter('room-1').then(() => done());
        """);
    odata("POST", "/odata/v4/test/Data", Map.of("value", "before the drop", "count", 1));
    page.await(LIVE, "the event before the drop", d -> log(d).contains("serverNotification \"before the drop\""));

    js.executeScript("testClient.call('message', { text: arguments[0] }).catch(() => {})", DropOnRequest.DROP);
    page.await(SLOW, "the test client dropped",
        d -> "reconnecting".equals(js.executeScript("return testClient.status")));
    odata("POST", "/odata/v4/test/Data", Map.of("value", "while away", "count", 2));
    js.executeScript("testLog.length = 0; testClient.reconnect()");

    page.await(LIVE, "the missed event", d -> log(d).contains("serverNotification \"while away\""));
    // The missed event was replayed, not reloaded; contexts are the one thing recovery cannot promise (protocol.md).
    assertThat(log(page.driver)).containsExactly("wsRecovery {\"recovered\":true,\"count\":1}",
        "wsReload {\"reason\":\"contexts\"}", "serverNotification \"while away\"");
    WebSocketClients clients = WebSockets.clients(runtime);
    assertThat(clients.of("ChatService", null)).filteredOn(c -> "catch-up".equals(c.identifier()))
        .singleElement().satisfies(c -> assertThat(c.contexts()).containsExactly("room-1"));
    js.executeScript("testClient.close()");
  }

  @Test
  @DisplayName("C3: screenshot of two rows, a chat message and a system message (target/live-page.png; docs/)")
  void screenshot() throws Exception {
    LivePageDriver page = page(1);
    for (JsonNode row : odata("GET", "/odata/v4/test/Data", null).get("value")) {
      odata("DELETE", "/odata/v4/test/Data(" + row.get("ID").asText() + ")", null);
    }
    page.open(base()); // without the rows struck through a moment ago
    odata("POST", "/odata/v4/test/Data", Map.of("value", "Ship the live page", "count", 1));
    odata("POST", "/odata/v4/test/Data", Map.of("value", "Write docs/client.md", "count", 2));
    page.awaitRow("Write docs/client.md", LIVE);
    page.type("chat-text", "Hello over WebSocket");
    page.driver.findElement(By.cssSelector("#chat-form button")).click();
    page.await(LIVE, "the reply in the chat",
        d -> texts(d, "#chat-log li.reply").contains("Message received: Hello over WebSocket"));
    page.type("system-text", "Deploying at noon");
    page.driver.findElement(By.cssSelector("#system-form button")).click();
    page.await(LIVE, "the reply to sendSystemMessage",
        d -> "System message sent".equals(d.findElement(By.id("system-reply")).getText()));
    // Cut below the content: the window is taller than the page.
    BufferedImage shot = ImageIO.read(new ByteArrayInputStream(
        ((TakesScreenshot) page.driver).getScreenshotAs(OutputType.BYTES)));
    var content = page.driver.findElement(By.tagName("main")).getRect();
    int height = Math.min(shot.getHeight(), content.getY() + content.getHeight());
    ImageIO.write(shot.getSubimage(0, 0, shot.getWidth(), height), "png", new File("target/live-page.png"));
  }

  /** A fresh load of the page in the first or second browser. */
  private LivePageDriver page(int which) {
    if (first == null) {
      first = Chromium.start();
      second = Chromium.start();
    }
    return new LivePageDriver(which == 1 ? first : second).open(base());
  }

  @SuppressWarnings("unchecked")
  private static List<String> log(WebDriver driver) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript("return testLog");
  }

  private static List<String> texts(WebDriver driver, String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(e -> e.getText()).toList();
  }

  private String base() {
    return "http://localhost:" + port;
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode odata(String method, String path, Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
    return response.body().isEmpty() ? null : JSON.readTree(response.body());
  }
}
