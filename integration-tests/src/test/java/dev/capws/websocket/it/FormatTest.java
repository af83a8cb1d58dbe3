package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.RawSocket;

/** F2-F4: the pcp, cloudevent and generic formats, both ways, through real sockets. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Test
  @DisplayName("F2: events as PCP: action, body type, declared fields, the @ws.pcp.message element as body")
  void pcpEvent() {
    try (RawSocket client = connect("/ws/pcp")) {
      emit("PcpService", "notification", Map.of("text", "hello", "level", "info", "internal", "secret"));
      assertThat(client.read().text()).isEqualTo("pcp-action:notify\npcp-body-type:text\nlevel:info\n\nhello");
    }
  }

  @Test
  @DisplayName("F2: a @ws.pcp.sideEffect event is a Fiori Elements side-effect trigger on the service's channel")
  void pcpSideEffect() {
    try (RawSocket client = connect("/ws/pcp")) {
      emit("PcpService", "booksChanged", Map.of("ID", 5));
      assertThat(client.read().text()).isEqualTo("pcp-action:MESSAGE\npcp-channel:sideeffects\n"
          + "sideEffectEventName:booksChanged\nserverAction:RaiseSideEffect\nID:5\n\n");
    }
  }

  @Test
  @DisplayName("F2: a PCP message calls the operation of its pcp-action, fields typed, body as @ws.pcp.message")
  void pcpMessage() {
    try (RawSocket client = connect("/ws/pcp")) {
      client.sendText("priority:3\nurgent:true\nunknown:x\n\nline one\nline: two");
      assertThat(client.read().text())
          .isEqualTo("pcp-action:notify\npcp-body-type:text\nlevel:3 true\n\ngot line one\nline: two");
      // not PCP: no reply in this format, and the connection goes on
      client.sendText("no separator here");
      client.sendText("pcp-action:nothing\n\n");
      client.sendText("priority:1\nurgent:false\n\nagain");
      assertThat(client.read().text()).endsWith("got again");
    }
  }

  @Test
  @DisplayName("F3: events as CloudEvents 1.0: service type and source, attributes from elements and annotations")
  void cloudEvent() throws Exception {
    try (RawSocket client = connect("/ws/cloud")) {
      emit("CloudService", "orderPlaced", Map.of("orderId", "o1", "amount", new BigDecimal("12.50"),
          "subject", "orders/o1"));
      JsonNode event = JSON.readTree(client.read().text());
      assertThat(event.fieldNames()).toIterable().containsExactly("specversion", "type", "source", "subject", "id",
          "time", "datacontenttype", "data");
      assertThat(event.get("specversion").asText()).isEqualTo("1.0");
      assertThat(event.get("type").asText()).isEqualTo("CloudService.orderPlaced");
      assertThat(event.get("source").asText()).isEqualTo("CloudService");
      assertThat(event.get("subject").asText()).isEqualTo("orders/o1");
      assertThat(UUID.fromString(event.get("id").asText())).isNotNull();
      assertThat(Instant.parse(event.get("time").asText())).isNotNull();
      assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(event.at("/data/orderId").asText()).isEqualTo("o1");
      assertThat(event.at("/data/amount").decimalValue()).isEqualByComparingTo("12.5");
      assertThat(event.get("data").size()).isEqualTo(2); // subject became an attribute

      emit("CloudService", "audited", Map.of("what", "login"));
      JsonNode audited = JSON.readTree(client.read().text());
      assertThat(audited.get("type").asText()).isEqualTo("com.example.audit");
      assertThat(audited.get("source").asText()).isEqualTo("/audit");
      assertThat(audited.get("data").toString()).isEqualTo("{\"what\":\"login\"}");
    }
  }

  @Test
  @DisplayName("F3: a client's cloud event calls the operation its type names, with its data as parameters")
  void cloudEventOperation() throws Exception {
    try (RawSocket client = connect("/ws/cloud")) {
      client.sendText("{\"specversion\":\"1.0\",\"type\":\"com.example.place\",\"source\":\"/client\",\"id\":\"1\","
          + "\"data\":{\"orderId\":\"o2\",\"amount\":3}}");
      JsonNode placed = JSON.readTree(client.read().text());
      assertThat(placed.get("subject").asText()).isEqualTo("orders/o2");
      assertThat(placed.at("/data/amount").decimalValue()).isEqualByComparingTo("4");
    }
  }

  @Test
  @DisplayName("F4: the generic format maps attributes by @ws.generic.* annotations, both ways")
  void generic() throws Exception {
    try (RawSocket client = connect("/ws/generic")) {
      client.sendText("{\"name\":\"tell\",\"text\":\"a story\"}");
      assertThat(client.read().text()).isEqualTo("{\"title\":\"told: a story\"}");
    }
  }

  @Test
  @DisplayName("F4: an application's own format, listed in META-INF/services, serves @ws.format: 'line'")
  void applicationFormat() {
    try (RawSocket client = connect("/ws/line")) {
      client.sendText("say|plain words");
      assertThat(client.read().text()).isEqualTo("said|{text=plain words}");
    }
  }

  private void emit(String service, String event, Map<String, Object> data) {
    runtime.requestContext().user(UserInfo.create().setName("system").setTenant("t1")).run(context -> {
      EventContext emit = EventContext.create(event, null);
      emit.put("data", new HashMap<>(data));
      runtime.getServiceCatalog().getService(service).emit(emit);
    });
  }

  private RawSocket connect(String path) {
    return RawSocket.upgrade(port, path, basic("alice", "alice"));
  }
}
