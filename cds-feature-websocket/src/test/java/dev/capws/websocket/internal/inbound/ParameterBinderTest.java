package dev.capws.websocket.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;

import dev.capws.websocket.internal.format.JsonFormat;
import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.spi.FrameRejected;

class ParameterBinderTest {

  static CdsModel model;

  @BeforeAll
  static void readModel() throws IOException {
    try (InputStream csn = ParameterBinderTest.class.getResourceAsStream("/model/types.csn.json")) {
      model = CdsModel.read(csn);
    }
  }

  static CdsOperation operation(String name) {
    return model.getService("Types").actions().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
  }

  static JsonNode json(String text) throws IOException {
    return JsonFrames.parse(text.replace('\'', '"'));
  }

  @Test
  @DisplayName("O1: JSON values become the Java types CAP handlers expect")
  void allTypes() throws IOException {
    Map<String, Object> values = ParameterBinder.bind(operation("everything"), json("{'s':'x','b':true,'i':5,'i16':-3,"
        + "'u8':255,'i64':9007199254740993,'d':'12.34','dbl':1.5,'date':'2026-11-24','time':'13:45:00',"
        + "'dt':'2026-11-24T13:45:00Z','ts':'2026-11-24T13:45:00.123+01:00','bin':'AAEC',"
        + "'id':'6ea0b030-e950-494e-9476-3ea813d5362a','ls':'long','p':{'x':1,'y':2},'many':[1,2],"
        + "'points':[{'x':3,'y':4}]}"));
    assertThat(values).containsEntry("s", "x").containsEntry("b", true).containsEntry("i", 5)
        .containsEntry("i16", (short) -3).containsEntry("u8", (short) 255)
        .containsEntry("i64", 9007199254740993L).containsEntry("d", new BigDecimal("12.34"))
        .containsEntry("dbl", 1.5).containsEntry("date", LocalDate.of(2026, 11, 24))
        .containsEntry("time", LocalTime.of(13, 45)).containsEntry("dt", Instant.parse("2026-11-24T13:45:00Z"))
        .containsEntry("ts", Instant.parse("2026-11-24T12:45:00.123Z"))
        .containsEntry("id", "6ea0b030-e950-494e-9476-3ea813d5362a").containsEntry("ls", "long")
        .containsEntry("p", Map.of("x", 1, "y", 2)).containsEntry("many", List.of(1, 2))
        .containsEntry("points", List.of(Map.of("x", 3, "y", 4)));
    assertThat((byte[]) values.get("bin")).containsExactly(0, 1, 2);
  }

  @Test
  @DisplayName("O1: missing parameters are null, or their declared default")
  void missingAndDefaults() throws IOException {
    assertThat(ParameterBinder.bind(operation("everything"), json("{}"))).containsEntry("s", null).hasSize(18);
    assertThat(ParameterBinder.bind(operation("defaulted"), json("{}"))).containsEntry("n", 7);
  }

  @ParameterizedTest(name = "O1 refused: {0}")
  @DisplayName("O1: values that do not fit their declared type are refused with 400, naming the parameter")
  @CsvSource(delimiter = '|', value = {
      "{'s':5}|s", "{'b':'true'}|b", "{'i':'5'}|i", "{'i':1.5}|i", "{'i':3000000000}|i", "{'i16':40000}|i16",
      "{'u8':-1}|u8", "{'u8':256}|u8", "{'i64':1e30}|i64", "{'d':'abc'}|d", "{'d':1e999}|d", "{'d':true}|d", "{'dbl':'1'}|dbl",
      "{'date':'24.11.2026'}|date", "{'time':'25:00'}|time", "{'dt':'yesterday'}|dt", "{'bin':'%%%'}|bin",
      "{'p':[1]}|p", "{'p':{'x':'one'}}|p.x", "{'many':5}|many", "{'many':[1,'2']}|many[1]",
      "{'points':[{'x':1},{'y':'no'}]}|points[1].y" })
  void mismatches(String data, String target) {
    assertThatThrownBy(() -> ParameterBinder.bind(operation("everything"), json(data))).isInstanceOf(FrameRejected.class)
        .satisfies(e -> {
          FrameRejected rejected = (FrameRejected) e;
          assertThat(rejected.status()).isEqualTo(400);
          assertThat(rejected.code()).isEqualTo("INVALID_PARAMETER");
          assertThat(rejected.target()).isEqualTo(target);
        });
  }

  @Test
  @DisplayName("O1: unknown parameters, a missing required one, and non-object data are refused")
  void structure() {
    assertThatThrownBy(() -> ParameterBinder.bind(operation("everything"), json("{'nope':1}")))
        .satisfies(e -> assertThat(((FrameRejected) e).code()).isEqualTo("UNKNOWN_PARAMETER"));
    assertThatThrownBy(() -> ParameterBinder.bind(operation("required"), json("{}")))
        .satisfies(e -> assertThat(((FrameRejected) e).code()).isEqualTo("MISSING_PARAMETER"));
    assertThatThrownBy(() -> ParameterBinder.bind(operation("required"), json("{'name':null}")))
        .satisfies(e -> assertThat(((FrameRejected) e).code()).isEqualTo("MISSING_PARAMETER"));
    assertThatThrownBy(() -> ParameterBinder.bind(operation("everything"), json("[1]")))
        .satisfies(e -> assertThat(((FrameRejected) e).code()).isEqualTo("INVALID_PARAMETERS"));
  }

  @Test
  @DisplayName("O1: deeply nested input is bounded by the JSON parser, not by the stack")
  void deepNesting() {
    String deep = "{\"p\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> ParameterBinder.bind(operation("everything"), JsonFormat.parse(deep).data()))
        .isInstanceOf(FrameRejected.class);
  }
}
