package dev.capws.samples.fileintegration;

import static dev.capws.samples.fileintegration.LivePageDriver.LIVE;
import static dev.capws.samples.fileintegration.LivePageDriver.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.capws.websocket.test.Chromium;

/**
 * The server goes away under an open live page and comes back on the same port: the page reconnects by itself, and
 * since a restarted instance with the local broker has a new history, it learns that it cannot catch up and loads
 * the rows again, including one written while the server was down.
 */
class LivePageRestartTest {

  @Test
  @DisplayName("C3 B3: server restarted: the page reconnects by itself with backoff and reloads what it missed")
  void reconnectsAfterRestart() throws Exception {
    Chromium.assumeInstalled();
    Path database = Files.createTempFile("live-page-restart", ".sqlite");
    database.toFile().deleteOnExit();
    ConfigurableApplicationContext app = start(database, 0);
    int port = ((ServletWebServerApplicationContext) app).getWebServer().getPort();
    WebDriver browser = Chromium.start();
    try {
      LivePageDriver page = new LivePageDriver(browser).open("http://localhost:" + port);
      create(port, "before the restart");
      page.awaitRow("before the restart", LIVE);

      app.close();
      page.await(SLOW, "reconnecting", d -> "reconnecting".equals(page.status()));
      insertDirectly(database, "while the server was down");
      int loadsBefore = page.loads();

      app = start(database, port);
      // The client's backoff is capped at 5 s on this page; start-up dominates the wait.
      page.await(SLOW, "reconnected and reloaded", d -> "open".equals(page.status()) && page.loads() > loadsBefore);
      assertThat(page.statusText()).isEqualTo("connected (reloaded: not-recovered)");
      page.awaitRow("while the server was down", LIVE);
      page.awaitRow("before the restart", LIVE);

      create(port, "after the restart");
      page.awaitRow("after the restart", LIVE);
    } finally {
      browser.quit();
      app.close();
    }
  }

  /** The sample's own main class with recovery on, on a database file that outlives the instance. */
  private static ConfigurableApplicationContext start(Path database, int port) {
    return SpringApplication.run(Application.class, "--server.port=" + port,
        "--spring.datasource.url=jdbc:sqlite:" + database, "--cds.websocket.recovery.enabled=true");
  }

  /** A change no server saw (as by another application on the same database): only a reload can show it. */
  private static void insertDirectly(Path database, String value) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
        PreparedStatement insert = db.prepareStatement(
            "INSERT INTO com_test_Data (ID, value, count, createdAt) VALUES (?, ?, 1, ?)")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, value);
      insert.setString(3, Instant.now().toString());
      insert.executeUpdate();
    }
  }

  private static void create(int port, String value) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/odata/v4/test/Data"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\",\"count\":1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
  }
}
