package dev.capws.websocket.test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system's packages (Debian: {@code chromium}, {@code chromium-driver}), driven by
 * Selenium. Nothing is downloaded: the driver is given, so Selenium Manager is never asked for one.
 */
public final class Chromium {

  /** Debian's paths; CHROMIUM and CHROMEDRIVER name others (Ubuntu's chromium-browser, say). */
  public static final Path BROWSER = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  public static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

  private Chromium() {}

  /** Skips the calling test, with the reason, on a machine without the browser; CI installs it (.ci/run). */
  public static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
        "Browser test skipped: " + BROWSER + " or " + DRIVER + " is missing (apt-get install -y chromium chromium-driver)");
  }

  public static ChromeDriver start() {
    assumeInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking",
        "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1200,820");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }
}
