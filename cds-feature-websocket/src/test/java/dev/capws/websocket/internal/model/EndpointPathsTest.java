package dev.capws.websocket.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointPathsTest {

  @ParameterizedTest(name = "P2: {0} -> {1}")
  @DisplayName("P2: the Node runtime's slug of a service name")
  @CsvSource({
      "ChatService, chat",
      "FooBarService, foo-bar",
      "MyOrderService, my-order",
      "my.very.CatalogService, catalog",
      "Foo_Bar, foo-bar",
      "ODataFooBarX9, odata-foo-bar-x9",
      "Service, ''",
      "ServiceDesk, service-desk",
      "FOO, foo",
      "V2Service, v2",
      "a.b.c.X, x" })
  void slug(String name, String slug) {
    assertThat(EndpointPaths.slug(name)).isEqualTo(slug);
  }

  @ParameterizedTest(name = "P2: prefix {0} + path {1} -> {2}")
  @CsvSource({
      "/ws, chat, /ws/chat",
      "ws, chat, /ws/chat",
      "/ws/, chat, /ws/chat",
      "/ws, /abs, /abs",
      "/, chat, /chat",
      "'', chat, /chat",
      "/api/ws, a/b, /api/ws/a/b" })
  void resolve(String prefix, String path, String url) {
    assertThat(EndpointPaths.resolve(prefix, path)).isEqualTo(url);
  }
}
