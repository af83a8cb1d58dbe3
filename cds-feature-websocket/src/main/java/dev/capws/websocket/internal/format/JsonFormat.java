package dev.capws.websocket.internal.format;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.WebSocketFormat;


/**
 * The {@code json} format (see docs/protocol.md): events as {@code {"event","data","headers"?}}, client messages as
 * {@code {"event","data","headers"?,"id"?}}. Like the Node plugin, a message without a usable {@code event} or
 * {@code data} is taken as a whole to be the {@code data} of the {@code message} operation.
 */
public final class JsonFormat implements WebSocketFormat {

  /** The operation a message without {@code event}/{@code data} calls, as in the Node plugin. */
  public static final String FALLBACK_EVENT = "message";

  public static final String NAME = "json";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean replies() {
    return true;
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    return JsonFrames.event(event, data, headers);
  }

  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    return parse(message);
  }

  public static ClientFrame parse(String message) {
    ObjectNode root = JsonFrames.readObject(message);
    JsonNode id = root.get("id");
    if (id != null && !(id.isTextual() || id.isNumber())) {
      id = null; // only strings and numbers are echoed, so that a reply never carries arbitrary client JSON
    }
    JsonNode event = root.get("event");
    JsonNode data = root.get("data");
    if (event != null && event.isTextual() && !event.asText().isEmpty() && isPresent(data)) {
      return new ClientFrame(event.asText(), data, root.get("headers"), id);
    }
    // The fallback's parameters are the message's own fields, less those that framed it.
    ObjectNode fallback = root.deepCopy();
    fallback.remove(List.of("event", "data", "headers", "id"));
    return new ClientFrame(FALLBACK_EVENT, fallback, null, id);
  }

  /** The Node plugin's truthiness test for {@code data}: null, false, 0 and "" count as missing. */
  private static boolean isPresent(JsonNode data) {
    if (data == null || data.isNull() || data.isMissingNode()) {
      return false;
    }
    if (data.isBoolean()) {
      return data.asBoolean();
    }
    if (data.isNumber()) {
      return data.asDouble() != 0;
    }
    return !data.isTextual() || !data.asText().isEmpty();
  }
}
