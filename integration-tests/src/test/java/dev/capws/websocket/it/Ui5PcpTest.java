package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.Chromium;

/**
 * F2 with the client Fiori apps really use: UI5's own {@code sap.ui.core.ws.SapPcpWebSocket} (npm
 * {@code @openui5/sap.ui.core}, served by this app) in headless Chromium, against PcpService.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(Ui5Resources.class)
class Ui5PcpTest {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  WebDriver browser;

  @AfterEach
  void quit() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @DisplayName("F2: UI5's SapPcpWebSocket gets events with their PCP fields, escapes undone, and calls operations")
  void sapPcpWebSocket() {
    Chromium.assumeInstalled();
    browser = Chromium.start();
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // Credentials in the address: the browser keeps them for the page's requests and its WebSocket handshake.
    browser.get("http://alice:alice@localhost:" + port + "/ui5-pcp.html");
    await("UI5's socket open", () -> String.valueOf(js.executeScript("return state")).startsWith("open"));
    assertThat(js.executeScript("return state")).isEqualTo("open v10.pcp.sap.com");

    // A field value with PCP's escaped characters (backslash, colon, line break), and a body with lines and colons.
    String level = "a:b\\c\nd";
    String text = "line one\nline: two \\ end";
    emit(Map.of("text", text, "level", level, "internal", "not sent"));
    Map<String, Object> event = awaitMessage(js, 0);
    assertThat(event.get("data")).isEqualTo(text);
    assertThat(event.get("pcpFields"))
        .isEqualTo(Map.of("pcp-action", "notify", "pcp-body-type", "text", "level", level));

    // UI5 sends pcp-action MESSAGE with typed fields: the service's receive runs and answers with an event.
    js.executeScript("socket.send('hello: from UI5\\nsecond line', { priority: 3, urgent: true })");
    Map<String, Object> answer = awaitMessage(js, 1);
    assertThat(answer.get("data")).isEqualTo("got hello: from UI5\nsecond line");
    assertThat(answer.get("pcpFields"))
        .isEqualTo(Map.of("pcp-action", "notify", "pcp-body-type", "text", "level", "3 true"));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> awaitMessage(JavascriptExecutor js, int index) {
    await("message " + index, () -> ((List<?>) js.executeScript("return received")).size() > index);
    return ((List<Map<String, Object>>) js.executeScript("return received")).get(index);
  }

  private void await(String what, BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(25)).withMessage(what)
        .until(driver -> condition.getAsBoolean());
  }

  private void emit(Map<String, Object> data) {
    runtime.requestContext().user(UserInfo.create().setName("system").setTenant("t1")).run(context -> {
      EventContext emit = EventContext.create("notification", null);
      emit.put("data", new HashMap<>(data));
      runtime.getServiceCatalog().getService("PcpService").emit(emit);
    });
  }
}
