package dev.capws.websocket.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/** The generic format on a compiled model (formats.cds): attributes from headers, annotations and data. */
class GenericFormatTest {

  private static CdsService service;
  private static Map<String, CdsOperation> operations;
  private final GenericFormat format = new GenericFormat();

  @BeforeAll
  static void model() throws IOException {
    try (InputStream csn = GenericFormatTest.class.getResourceAsStream("/model/formats.csn.json")) {
      service = CdsModel.read(csn).getService("Formats");
    }
    operations = Stream.concat(service.actions(), service.functions())
        .collect(Collectors.toMap(CdsOperation::getName, o -> (CdsOperation) o));
  }

  private static CdsEvent event(String name) {
    return service.events().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }

  private String compose(String event, Map<String, Object> data, Map<String, Object> headers) {
    return format.compose(service, event == null ? null : event(event), event == null ? "undeclared" : event, data,
        headers);
  }

  private ClientFrame parse(String message) {
    return format.parse(service, operations, message);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("F4: @ws.format: 'generic' selects the generic format")
  void selected() {
    WebSocketFormat selected = new Formats("json", getClass().getClassLoader()).of(event("notice"), service);
    assertThat(selected).isInstanceOf(GenericFormat.class);
    assertThat(selected.name()).isEqualTo("generic");
  }

  @Test
  @DisplayName("F4: an event is the object of its attributes: static annotations and annotated elements' values only")
  void annotations() {
    assertThat(compose("notice", map("headline", "Hi", "body", "the text"), Map.of()))
        .isEqualTo("{\"kind\":\"notice\",\"title\":\"Hi\"}");
    assertThat(compose("pinged", map("at", "noon"), Map.of())).isEqualTo("{\"kind\":\"ping\"}");
  }

  @Test
  @DisplayName("F4: an annotated element without a value in the data adds no attribute")
  void missingElementValue() {
    assertThat(compose("notice", map("body", "b"), Map.of())).isEqualTo("{\"kind\":\"notice\"}");
    assertThat(compose("notice", map("headline", null), Map.of())).isEqualTo("{\"kind\":\"notice\"}");
  }

  @Test
  @DisplayName("F4: headers become attributes, the format's own section (ws.generic.*) too")
  void headers() {
    String frame = compose("notice", map("headline", "Hi"),
        map("priority", "high", "generic", map("channel", "news", "kind", "header-kind")));
    assertThat(frame).isEqualTo("{\"priority\":\"high\",\"channel\":\"news\",\"kind\":\"notice\",\"title\":\"Hi\"}");
  }

  @Test
  @DisplayName("F4: annotations win over headers of the same name; a prefixed header wins over the plain one")
  void precedence() {
    assertThat(compose("notice", map("headline", "Hi"), map("kind", "from-header", "title", "from-header")))
        .isEqualTo("{\"kind\":\"notice\",\"title\":\"Hi\"}");
    assertThat(compose(null, map(), map("priority", "plain", "generic-priority", "prefixed")))
        .contains("\"priority\":\"prefixed\"");
  }

  @Test
  @DisplayName("F4: an undeclared event has the header attributes only")
  void undeclared() {
    assertThat(compose(null, map("headline", "Hi"), map("a", 1, "b", true))).isEqualTo("{\"a\":1,\"b\":true}");
  }

  @Test
  @DisplayName("F4: the caller's data is not changed (elements become attributes on a copy)")
  void dataUntouched() {
    Map<String, Object> data = Map.of("headline", "Hi", "body", "b"); // immutable: a removal would throw
    assertThat(compose("notice", data, Map.of())).isEqualTo("{\"kind\":\"notice\",\"title\":\"Hi\"}");
    assertThat(data).containsOnlyKeys("headline", "body");
  }

  @Test
  @DisplayName("F4: a message names its operation by @ws.generic.name; annotated parameters take the attributes")
  void parseByAnnotatedName() {
    ClientFrame frame = parse("{\"name\":\"doIt\",\"who\":\"alice\",\"count\":3,\"other\":1}");
    assertThat(frame.event()).isEqualTo("act");
    assertThat(frame.data().toString()).isEqualTo("{\"user\":\"alice\",\"count\":3}");
    assertThat(frame.headers()).isNull();
    assertThat(frame.id()).isNull();
  }

  @Test
  @DisplayName("F4: a message names its operation by its name; without the attribute a parameter takes its own field")
  void parseByName() {
    assertThat(parse("{\"name\":\"act\",\"user\":\"bob\",\"count\":1}").data().toString())
        .isEqualTo("{\"user\":\"bob\",\"count\":1}");
    ClientFrame plain = parse("{\"name\":\"submit\",\"text\":\"t\",\"amount\":2,\"extra\":true}");
    assertThat(plain.event()).isEqualTo("submit");
    assertThat(plain.data().toString()).isEqualTo("{\"text\":\"t\",\"amount\":2}");
  }

  @Test
  @DisplayName("F4 E7: a static attribute on the operation overrides the client's; @ws.ignore'd parameters stay unset")
  void parseStaticAttributeAndIgnored() {
    ClientFrame frame = parse("{\"name\":\"stamp\",\"source\":\"client\",\"origin\":\"o\",\"secret\":\"s\","
        + "\"note\":\"n\"}");
    assertThat(frame.event()).isEqualTo("stamped");
    assertThat(frame.data().toString()).isEqualTo("{\"origin\":\"server\",\"note\":\"n\"}");
  }

  @Test
  @DisplayName("F4: a message naming no operation is refused with 404")
  void unknownOperation() {
    for (String message : new String[] { "{\"name\":\"nothing\"}", "{\"other\":\"act\"}", "{\"name\":{\"x\":1}}",
        "{\"name\":null}" }) {
      assertThatThrownBy(() -> parse(message)).as(message).isInstanceOfSatisfying(FrameRejected.class, e -> {
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("UNKNOWN_EVENT");
      });
    }
  }

  @Test
  @DisplayName("F4: a message that is not a JSON object is refused with 400")
  void invalidJson() {
    assertThatThrownBy(() -> parse("{\"name\":")).isInstanceOfSatisfying(FrameRejected.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("INVALID_JSON");
    });
    assertThatThrownBy(() -> parse("[\"act\"]")).isInstanceOfSatisfying(FrameRejected.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("INVALID_FRAME");
    });
  }
}
