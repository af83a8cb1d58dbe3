package dev.capws.websocket.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;

class JsonFormatTest {

  @Test
  @DisplayName("O1: event, data, headers and id are read")
  void fullFrame() {
    ClientFrame frame = JsonFormat.parse("{\"event\":\"message\",\"data\":{\"text\":\"hi\"},\"headers\":{\"a\":1},\"id\":\"x\"}");
    assertThat(frame.event()).isEqualTo("message");
    assertThat(frame.data().get("text").asText()).isEqualTo("hi");
    assertThat(frame.headers().get("a").asInt()).isEqualTo(1);
    assertThat(frame.id().asText()).isEqualTo("x");
  }

  @ParameterizedTest(name = "O1 fallback: {0}")
  @DisplayName("O1: without a usable event or data, the whole message is the data of 'message' (Node plugin)")
  @ValueSource(strings = { "{\"text\":\"hi\"}", "{\"event\":\"x\",\"text\":\"hi\"}", "{\"data\":null,\"text\":\"hi\"}",
      "{\"event\":\"\",\"data\":{},\"text\":\"hi\"}", "{\"event\":5,\"data\":{},\"text\":\"hi\"}",
      "{\"event\":\"x\",\"data\":0,\"text\":\"hi\"}" })
  void fallback(String message) {
    ClientFrame frame = JsonFormat.parse(message);
    assertThat(frame.event()).isEqualTo("message");
    assertThat(frame.data().toString()).isEqualTo("{\"text\":\"hi\"}");
  }

  @Test
  @DisplayName("O1: an empty object is data (JavaScript treats {} as present)")
  void emptyObjectIsData() {
    assertThat(JsonFormat.parse("{\"event\":\"ping\",\"data\":{}}").event()).isEqualTo("ping");
  }

  @Test
  @DisplayName("B1: only string and number ids are echoed")
  void ids() {
    assertThat(JsonFormat.parse("{\"event\":\"a\",\"data\":{},\"id\":3}").id().asInt()).isEqualTo(3);
    assertThat(JsonFormat.parse("{\"event\":\"a\",\"data\":{},\"id\":{\"x\":1}}").id()).isNull();
    assertThat(JsonFormat.parse("{\"event\":\"a\",\"data\":{}}").id()).isNull();
  }

  @ParameterizedTest(name = "O3 invalid: {0}")
  @ValueSource(strings = { "", "{", "not json", "{\"event\":}", "{\"a\":1}}" })
  void invalidJson(String message) {
    assertThatThrownBy(() -> JsonFormat.parse(message)).isInstanceOf(FrameRejected.class)
        .satisfies(e -> assertThat(((FrameRejected) e).status()).isEqualTo(400));
  }

  @ParameterizedTest(name = "O3 not an object: {0}")
  @ValueSource(strings = { "[1,2]", "\"text\"", "42", "null", "true" })
  void notAnObject(String message) {
    assertThatThrownBy(() -> JsonFormat.parse(message)).isInstanceOf(FrameRejected.class)
        .satisfies(e -> assertThat(((FrameRejected) e).code()).isEqualTo("INVALID_FRAME"));
  }
}
