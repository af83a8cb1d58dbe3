package dev.capws.websocket.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsModel;

/** Service discovery over every annotation form; the model is compiled from annotation-forms.cds by cds-dk. */
class EndpointCatalogTest {

  static CdsModel model;

  @BeforeAll
  static void readModel() throws IOException {
    try (InputStream csn = EndpointCatalogTest.class.getResourceAsStream("/model/annotation-forms.csn.json")) {
      model = CdsModel.read(csn);
    }
  }

  @Test
  @DisplayName("P1 P2: every annotation form is found, at the path the Node plugin serves it")
  void pathsOfAllForms() {
    Map<String, String> pathToService = EndpointCatalog.discover(model, "/ws").endpoints().stream()
        .collect(Collectors.toMap(WebSocketEndpoint::path, WebSocketEndpoint::serviceName));
    assertThat(pathToService).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("/ws/chat", "ChatService"),              // @protocol: 'websocket'
        Map.entry("/ws/a", "A"),                           // @ws
        Map.entry("/ws/b-", "B_Service"),                  // @websocket; "B_Service" loses "Service", _ -> -
        Map.entry("/ws/foo-bar", "my.ns.FooBarService"),   // @protocol: 'ws'
        Map.entry("/ws/both", "Both"),                     // @protocol: ['odata', 'websocket']
        Map.entry("/ws/custom", "C"),                      // @protocol: [{kind, path: 'custom'}]
        Map.entry("/abs/d", "D"),                          // an absolute path is used as it is
        Map.entry("/ws/epath", "E"),                       // @path
        Map.entry("/ws/f", "F"),                           // @protocol.websocket
        Map.entry("/ws/gpath", "G"),                       // @ws: 'gpath'
        Map.entry("/ws/j", "J"),                           // @protocol: #websocket
        Map.entry("/ws/m", "M"),                           // @ws and @websocket: one endpoint
        Map.entry("/root-level", "N"),                     // absolute @path
        Map.entry("/ws/o", "O")));                         // a mixin of a service that is not a WebSocket service
  }

  @Test
  @DisplayName("P1: services without a WebSocket protocol are not served")
  void notServed() {
    EndpointCatalog catalog = EndpointCatalog.discover(model, "/ws");
    // H: @protocol 'odata'; I: nothing; K: @ws: false; L: @protocol 'none' wins over @ws
    assertThat(catalog.endpoints().stream().map(WebSocketEndpoint::serviceName)).doesNotContain("H", "I", "K", "L");
  }

  @Test
  @DisplayName("P3: mixins are served at their service's path, or join the endpoint at their @ws.path")
  void mixins() {
    EndpointCatalog catalog = EndpointCatalog.discover(model, "/ws");
    WebSocketEndpoint own = catalog.find("/ws/o").orElseThrow();
    assertThat(own.events()).containsOnlyKeys("oe");
    assertThat(own.operations()).isEmpty();
    assertThat(own.exposesEntities()).isFalse();
    WebSocketEndpoint chat = catalog.find("/ws/chat").orElseThrow();
    assertThat(chat.operations()).containsOnlyKeys("f", "g", "intoChat");
    assertThat(chat.ownerOf("intoChat").getQualifiedName()).isEqualTo("O");
    assertThat(chat.ownerOf("f").getQualifiedName()).isEqualTo("ChatService");
    assertThat(chat.exposesEntities()).isTrue();
  }

  @Test
  @DisplayName("P2: the prefix is configurable")
  void prefix() {
    EndpointCatalog catalog = EndpointCatalog.discover(model, "/realtime/");
    assertThat(catalog.find("/realtime/chat")).isPresent();
    assertThat(catalog.find("/ws/chat")).isEmpty();
    assertThat(catalog.find("/abs/d")).isPresent();
  }

  @Test
  @DisplayName("P2: lookup is by exact path")
  void exactLookup() {
    EndpointCatalog catalog = EndpointCatalog.discover(model, "/ws");
    assertThat(catalog.find("/ws/chat")).isPresent();
    assertThat(catalog.find("/ws/chat/")).isEmpty();
    assertThat(catalog.find("/ws/Chat")).isEmpty();
    assertThat(catalog.find("/ws")).isEmpty();
  }

  @Test
  @DisplayName("E1 O1: an endpoint knows its service's events and unbound operations by wire name")
  void eventsAndOperations() {
    WebSocketEndpoint chat = EndpointCatalog.discover(model, "/ws").find("/ws/chat").orElseThrow();
    assertThat(chat.events()).containsOnlyKeys("e");
    assertThat(chat.operations()).containsKeys("f", "g");
    assertThat(chat.operation("f")).isPresent();
    assertThat(chat.operation("e")).isEmpty();
  }
}
