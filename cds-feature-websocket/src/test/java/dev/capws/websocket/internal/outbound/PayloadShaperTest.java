package dev.capws.websocket.internal.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsModel;

import dev.capws.websocket.internal.format.JsonFrames;

class PayloadShaperTest {

  static CdsEvent shaped;

  @BeforeAll
  static void readModel() throws IOException {
    try (InputStream csn = PayloadShaperTest.class.getResourceAsStream("/model/types.csn.json")) {
      shaped = CdsModel.read(csn).getEvent("Types.shaped");
    }
  }

  @Test
  @DisplayName("E1: only declared elements are sent, nested and in lists; explicit nulls stay")
  void shapes() {
    Map<String, Object> data = new HashMap<>();
    data.put("extra", "secret");
    data.put("keep", null);
    data.put("nested", Map.of("inner", 1, "hidden", true));
    data.put("list", List.of(Map.of("a", 1, "b", 2)));
    Object result = PayloadShaper.shape(shaped, data);
    assertThat(JsonFrames.event("shaped", result, null))
        .isEqualTo("{\"event\":\"shaped\",\"data\":{\"keep\":null,\"nested\":{\"inner\":1},\"list\":[{\"a\":1}]}}");
  }

  @Test
  @DisplayName("E1: data that is not a map is sent as it is")
  void nonMap() {
    assertThat(PayloadShaper.shape(shaped, "text")).isEqualTo("text");
    assertThat(PayloadShaper.shape(shaped, null)).isNull();
    assertThat(PayloadShaper.shape(shaped, Arrays.asList(1, 2))).isEqualTo(List.of(1, 2));
  }
}
