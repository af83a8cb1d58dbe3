package dev.capws.websocket.internal.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

  @Test
  @DisplayName("E6 A2: by default only headers that leave recipients out are taken: a caller cannot widen the audience")
  void narrowOnly() {
    Map<String, Object> headers = HttpHeaders.emitHeaders(Map.of("x-ws-identifier-exclude", "tab-1",
        "x-ws-user", "me", "x-ws-role-include", "admin", "x-ws-operator-include", "or",
        "x-ws-operator-exclude", "and", "x-ws-cloudevent-subject", "s"), "cloudevent", true);
    assertThat(headers).containsOnlyKeys(HttpHeaders.CALLER_EXCLUDES, "ws");
    assertThat(callerExcludes(headers)).containsOnlyKeys("identifierExclude");
  }

  @Test
  @DisplayName("E6: x-ws-* and x-websocket-* become camel-case emit headers, typed as in the Node plugin")
  void emitHeaders() {
    Map<String, Object> headers = HttpHeaders.emitHeaders(Map.of("X-WS-Identifier-Exclude", "tab-1",
        "x-websocket-current-user-exclude", "true", "x-ws-count", "5", "content-type", "application/json",
        "x-ws-cloudevent-subject", "orders/1"), "cloudevent", false);
    assertThat(callerExcludes(headers)).containsEntry("identifierExclude", "tab-1")
        .containsEntry("currentUserExclude", true);
    assertThat(headers).containsEntry("count", 5.0).doesNotContainKey("contentType")
        .containsEntry("ws", Map.of("cloudevent", Map.of("subject", "orders/1")));
  }

  @Test
  @DisplayName("E6: a format prefix of another format stays a plain header")
  void otherFormat() {
    assertThat(HttpHeaders.emitHeaders(Map.of("x-ws-pcp-action", "a"), "json", false)).containsEntry("pcpAction", "a");
  }

  private static Map<String, Object> callerExcludes(Map<String, Object> headers) {
    return ((HttpHeaders.CallerExcludes) headers.get(HttpHeaders.CALLER_EXCLUDES)).headers();
  }
}
