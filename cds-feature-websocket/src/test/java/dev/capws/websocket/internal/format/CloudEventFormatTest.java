package dev.capws.websocket.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.WebSocketFormat;

/** The cloudevent and cloudevents formats on a compiled model (formats.cds). */
class CloudEventFormatTest {

  private static CdsService service;
  private static Map<String, CdsOperation> operations;
  private static final Formats FORMATS = new Formats("json", CloudEventFormatTest.class.getClassLoader());

  @BeforeAll
  static void model() throws IOException {
    try (InputStream csn = CloudEventFormatTest.class.getResourceAsStream("/model/formats.csn.json")) {
      service = CdsModel.read(csn).getService("Formats");
    }
    operations = Stream.concat(service.actions(), service.functions())
        .collect(Collectors.toMap(CdsOperation::getName, o -> (CdsOperation) o));
  }

  private static CdsEvent event(String name) {
    return service.events().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }

  private static JsonNode compose(String event, Map<String, Object> data, Map<String, Object> headers)
      throws JsonProcessingException {
    CdsEvent definition = event(event);
    WebSocketFormat format = FORMATS.of(definition, service);
    return JsonFrames.parse(format.compose(service, definition, event, new LinkedHashMap<>(data), headers));
  }

  @Test
  @DisplayName("F3: @ws.cloudevents.* annotations set the attributes of a 'cloudevents' event")
  void cloudeventsAnnotations() throws JsonProcessingException {
    JsonNode frame = compose("orderCreated", Map.of("orderId", "o-1", "amount", 5), Map.of());
    assertThat(frame.get("specversion").asText()).isEqualTo("1.0");
    assertThat(frame.get("type").asText()).isEqualTo("com.example.order.created");
    assertThat(frame.get("subject").asText()).isEqualTo("orders");
    assertThat(frame.get("id").asText()).isEqualTo("o-1");
    // the element that became an attribute is not sent twice
    assertThat(frame.get("data").toString()).isEqualTo("{\"amount\":5}");
  }

  @Test
  @DisplayName("F3: the cloudevents section of the headers (x-ws-cloudevents-*) sets attributes, not a nested object")
  void cloudeventsHeaders() throws JsonProcessingException {
    JsonNode frame = compose("orderCreated", Map.of("orderId", "o-2", "amount", 1),
        Map.of("cloudevents", Map.of("source", "/from-header")));
    assertThat(frame.get("source").asText()).isEqualTo("/from-header");
    assertThat(frame.has("cloudevents")).isFalse();
  }

  @Test
  @DisplayName("F3: @ws.cloudevent.* annotations and defaults of a 'cloudevent' event")
  void cloudeventAnnotations() throws JsonProcessingException {
    JsonNode frame = compose("invoiceSent", Map.of("invoiceId", "i-9", "total", 70), Map.of());
    assertThat(frame.get("type").asText()).isEqualTo("Formats.invoiceSent");
    assertThat(frame.get("source").asText()).isEqualTo("Formats");
    assertThat(frame.get("subject").asText()).isEqualTo("invoices");
    assertThat(frame.get("id").asText()).isEqualTo("i-9");
    assertThat(frame.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(frame.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    assertThat(frame.get("data").toString()).isEqualTo("{\"total\":70}");
  }

  @Test
  @DisplayName("F3: an event modelled as a whole cloud event is sent as it is")
  void modelledCloudEvent() throws JsonProcessingException {
    Map<String, Object> whole = new LinkedHashMap<>();
    whole.put("specversion", "1.0");
    whole.put("type", "my.type");
    whole.put("source", "/here");
    whole.put("id", "fixed");
    whole.put("data", Map.of("text", "hi"));
    JsonNode frame = compose("modelled", whole, Map.of());
    assertThat(frame.get("type").asText()).isEqualTo("my.type");
    assertThat(frame.get("source").asText()).isEqualTo("/here");
    assertThat(frame.get("id").asText()).isEqualTo("fixed");
    assertThat(frame.get("data").get("text").asText()).isEqualTo("hi");
  }

  @Test
  @DisplayName("F3: a client's cloud event calls the operation its type names, with its data fields as parameters")
  void parse() {
    ClientFrame frame = new CloudEventFormat().parse(service, operations,
        "{\"specversion\":\"1.0\",\"type\":\"submit\",\"source\":\"/c\",\"id\":\"1\",\"data\":{\"text\":\"t\","
            + "\"amount\":3}}");
    assertThat(frame.event()).isEqualTo("submit");
    assertThat(frame.data().toString()).isEqualTo("{\"text\":\"t\",\"amount\":3}");

    ClientFrame whole = new CloudEventFormat().parse(service, operations,
        "{\"specversion\":\"1.0\",\"type\":\"submitData\",\"data\":{\"text\":\"t\"}}");
    assertThat(whole.event()).isEqualTo("submitData");
    assertThat(whole.data().toString()).isEqualTo("{\"data\":{\"text\":\"t\"}}");
  }
}
