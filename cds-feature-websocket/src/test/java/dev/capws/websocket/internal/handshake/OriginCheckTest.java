package dev.capws.websocket.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Cross-site WebSocket hijacking protection: which browser origins may upgrade. */
class OriginCheckTest {

  /** An upgrade request with these headers (names case-insensitive); nothing else of it is used. */
  private static HttpServletRequest request(String origin, String host) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (origin != null) {
      headers.put("Origin", origin);
    }
    if (host != null) {
      headers.put("Host", host);
    }
    return (HttpServletRequest) Proxy.newProxyInstance(OriginCheckTest.class.getClassLoader(),
        new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> {
          if (method.getName().equals("getHeader")) {
            return headers.get((String) args[0]);
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static boolean allows(String origin, String host, String... allowed) {
    return OriginCheck.allows(request(origin, host), List.of(allowed));
  }

  @Test
  @DisplayName("A1: a client that sends no Origin (not a browser) is not affected")
  void noOrigin() {
    assertThat(allows(null, "app.example.com")).isTrue();
    assertThat(allows(null, null)).isTrue();
  }

  @ParameterizedTest(name = "Origin {0}, Host {1}")
  @CsvSource({
      "https://app.example.com, app.example.com",
      "https://app.example.com, app.example.com:443",
      "http://app.example.com, app.example.com",
      "http://app.example.com, app.example.com:80",
      "http://localhost:8080, localhost:8080",
      "https://APP.Example.com, app.EXAMPLE.com",
      "'  http://localhost:8080 ', localhost:8080",
      "http://[::1]:8080, [::1]:8080",
      "http://127.0.0.1:4004, 127.0.0.1:4004" })
  @DisplayName("A1: the server's own origin (by Host, with and without default ports) is allowed")
  void sameOrigin(String origin, String host) {
    assertThat(allows(origin, host)).isTrue();
  }

  @ParameterizedTest(name = "Origin {0}, Host {1}")
  @CsvSource({
      "https://evil.example.org, app.example.com",
      "http://app.example.com:8080, app.example.com",
      "http://app.example.com, app.example.com:8080",
      "https://app.example.com:8443, app.example.com",
      "http://app.example.com, app.example.com:443",
      "https://app.example.com, app.example.com:80",
      "http://app.example.com.evil.org, app.example.com",
      "http://app.example.com@evil.org, app.example.com",
      "http://localhost:8081, localhost:8080" })
  @DisplayName("A1: other origins are refused")
  void otherOrigins(String origin, String host) {
    assertThat(allows(origin, host)).isFalse();
  }

  @Test
  @DisplayName("A1: a browser origin without a Host header to compare with is refused")
  void noHost() {
    assertThat(allows("https://app.example.com", null)).isFalse();
  }

  @Test
  @DisplayName("A1: configured origins are allowed, compared case-insensitively and trimmed")
  void configuredOrigins() {
    assertThat(allows("https://ui.example.com", "api.example.com", "https://UI.example.com")).isTrue();
    assertThat(allows("HTTPS://UI.EXAMPLE.COM", "api.example.com", " https://ui.example.com ")).isTrue();
    assertThat(allows("https://other.example.com", "api.example.com", "https://ui.example.com")).isFalse();
    assertThat(allows("http://ui.example.com", "api.example.com", "https://ui.example.com"))
        .as("the scheme is part of the origin").isFalse();
    assertThat(allows("https://api.example.com", "api.example.com", "https://ui.example.com"))
        .as("the own origin stays allowed").isTrue();
  }

  @Test
  @DisplayName("A1: '*' allows every origin, even malformed ones")
  void wildcard() {
    assertThat(allows("https://anywhere.example.org", "app.example.com", "*")).isTrue();
    assertThat(allows("null", "app.example.com", "https://ui.example.com", "*")).isTrue();
  }

  @ParameterizedTest(name = "Origin {0}")
  @CsvSource({ "null", "'http://exa mple.com'", "http://[::1", "://app.example.com", "app.example.com", "'%'" })
  @DisplayName("A1: malformed origins (and the opaque 'null' origin) are refused")
  void malformed(String origin) {
    assertThat(allows(origin, "app.example.com")).isFalse();
  }
}
