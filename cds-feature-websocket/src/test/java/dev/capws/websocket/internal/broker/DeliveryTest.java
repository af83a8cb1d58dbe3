package dev.capws.websocket.internal.broker;

import static dev.capws.websocket.internal.targeting.TestClients.everyone;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.spi.Position;

/** The frame recipients get: with {@code "seq"} as its last member when the event is positioned. */
class DeliveryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FRAME = "{\"event\":\"tick\",\"data\":{\"n\":7,\"text\":\"a } b, \\\"c\\\"\"},"
      + "\"headers\":{\"x\":[1,2]}}";
  private static final Position POSITION = new Position("5d1c0a9e2b41", 1764620000123L, 3);

  private static Envelope envelope(String frame, boolean positioned) {
    return new Envelope("Feed", "t1", "tick", frame, everyone(), 0, positioned);
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  @DisplayName("B3: a positioned envelope with a position gets \"seq\" as its last member; the rest is unchanged")
  void seqSpliced() throws Exception {
    String frame = new Delivery(envelope(FRAME, true), POSITION).frame();
    assertThat(frame).isEqualTo(FRAME.substring(0, FRAME.length() - 1)
        + ",\"seq\":\"5d1c0a9e2b41:1764620000123-3\"}");

    JsonNode parsed = JSON.readTree(frame); // valid JSON
    JsonNode original = JSON.readTree(FRAME);
    assertThat(names(parsed)).containsExactly("event", "data", "headers", "seq");
    assertThat(parsed.get("seq").asText()).isEqualTo(POSITION.toString());
    ((com.fasterxml.jackson.databind.node.ObjectNode) parsed).remove("seq");
    assertThat(parsed).isEqualTo(original);
  }

  @Test
  @DisplayName("B3: frames of envelopes that are not positioned, or have no position, stay as they are")
  void unchanged() {
    assertThat(new Delivery(envelope(FRAME, false), POSITION).frame()).isSameAs(FRAME);
    assertThat(new Delivery(envelope(FRAME, true), null).frame()).isSameAs(FRAME);
    assertThat(new Delivery(envelope(FRAME, false), null).frame()).isSameAs(FRAME);
  }

  @Test
  @DisplayName("B3: a frame that is not a JSON object (another format) is never touched")
  void notAnObject() {
    String pcp = "pcp-action:tick\npcp-body-type:text\n\nhello";
    assertThat(new Delivery(envelope(pcp, true), POSITION).frame()).isSameAs(pcp);
  }
}
