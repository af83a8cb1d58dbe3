package dev.capws.samples.fileintegration;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/** One open live page (/app/) in a browser: what a user sees and does there, with bounded waits. */
final class LivePageDriver {

  /** How soon a change made anywhere must show on every open page (issue 12: "within a second"). */
  static final Duration LIVE = Duration.ofSeconds(1);
  /** For what depends on the server's start-up or on a page load, not on a notification. */
  static final Duration SLOW = Duration.ofSeconds(30);

  final WebDriver driver;

  LivePageDriver(WebDriver driver) {
    this.driver = driver;
  }

  /** Opens the page and waits until it is connected and has loaded the rows. */
  LivePageDriver open(String baseUrl) {
    driver.get(baseUrl + "/app/");
    await(SLOW, "the page connected and loaded", d -> "open".equals(status()) && loads() >= 1);
    return this;
  }

  String status() {
    return driver.findElement(By.id("status")).getAttribute("data-status");
  }

  String statusText() {
    return driver.findElement(By.id("status")).getText();
  }

  int loads() {
    String loads = driver.findElement(By.id("rows")).getAttribute("data-loads");
    return loads == null ? 0 : Integer.parseInt(loads);
  }

  /** The live (not struck-through) rows showing this value. */
  List<WebElement> rows(String value) {
    return driver.findElements(By.xpath("//table[@id='rows']/tbody/tr[not(contains(@class,'deleted'))]"
        + "[td[@class='value']=" + literal(value) + "]"));
  }

  WebElement awaitRow(String value, Duration within) {
    return await(within, "a row '" + value + "'", d -> rows(value).stream().findFirst().orElse(null));
  }

  void awaitNoRow(String value, Duration within) {
    await(within, "no row '" + value + "'", d -> rows(value).isEmpty());
  }

  void type(String id, String text) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  /** Polls every 25 ms; on timeout the message says what was awaited and what the page showed. */
  <T> T await(Duration within, String what, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, within, Duration.ofMillis(25))
        .withMessage(() -> what + " (status: " + statusText() + ")").until(condition);
  }

  /** An XPath string literal for any text (XPath 1.0 has no escapes). */
  private static String literal(String text) {
    return text.contains("'") ? "concat('" + text.replace("'", "',\"'\",'") + "')" : "'" + text + "'";
  }
}
