package dev.capws.websocket.internal.format;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;

/**
 * CloudEvents 1.0 in JSON, as the WebSocket protocol binding of CloudEvents carries them, the way the Node plugin
 * writes them ({@code @ws.format: 'cloudevent'}, or {@code 'cloudevents'} with {@code @ws.cloudevents.*}
 * annotations). An event becomes {@code {specversion, type: <service>.<event>, source: <service>, subject, id, time,
 * datacontenttype, data}}; an event modelled as a whole cloud event (with a {@code data} element) is sent as it is;
 * format headers and {@code @ws.cloudevent.<attribute>} annotations set or override attributes. A client's cloud
 * event calls the operation its {@code type} names; its {@code data} fields become parameters.
 */
public class CloudEventFormat extends GenericFormat {

  public CloudEventFormat() {
    this("cloudevent");
  }

  protected CloudEventFormat(String name) {
    super(name, "type");
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    Map<String, Object> payload = mutable(data);
    Map<String, Object> cloudEvent = new LinkedHashMap<>();
    cloudEvent.put("specversion", "1.0");
    cloudEvent.put("type", service.getQualifiedName() + "." + event);
    cloudEvent.put("source", service.getQualifiedName());
    cloudEvent.put("subject", null);
    cloudEvent.put("id", UUID.randomUUID().toString());
    cloudEvent.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    cloudEvent.put("datacontenttype", "application/json");
    if (definition != null && definition.findElement("data").isPresent() && payload != null
        && payload.get("data") != null) {
      cloudEvent = payload; // modelled as a cloud event: it is the whole message
    } else {
      cloudEvent.put("data", payload != null ? payload : data);
    }
    cloudEvent.putAll(attributes(definition, payload, headers));
    return JsonFrames.write(cloudEvent);
  }

  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    ObjectNode cloudEvent = JsonFrames.readObject(message);
    JsonNode data = cloudEvent.get("data");
    boolean takesData = operation(operations, cloudEvent)
        .map(o -> o.getValue().parameters().anyMatch(p -> p.getName().equals("data"))).orElse(false);
    if (data != null && data.isObject() && !takesData) {
      ObjectNode flat = cloudEvent.deepCopy();
      flat.remove("data");
      flat.setAll((ObjectNode) data);
      cloudEvent = flat;
    }
    return parseObject(operations, cloudEvent);
  }
}
