package dev.capws.websocket.internal.inbound;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.spi.FrameRejected;

/**
 * The data of a {@code wsContext} frame, as the Node plugin reads it: {@code context} (one, or an array),
 * {@code contexts} (an array), {@code exit} and {@code reset} flags.
 */
record ContextRequest(List<String> contexts, boolean exit, boolean reset) {

  /** Context names are kept per connection and in the indexes: long ones would cost memory for nothing. */
  static final int MAX_LENGTH = 256;

  static ContextRequest of(JsonNode data) {
    if (!data.isObject()) {
      throw new FrameRejected(400, "INVALID_PARAMETERS", "\"data\" of wsContext must be an object like "
          + "{\"context\":\"c\"} or {\"contexts\":[\"a\",\"b\"],\"exit\":true}");
    }
    List<String> contexts = new ArrayList<>();
    add(contexts, data.get("contexts"), "contexts");
    add(contexts, data.get("context"), "context");
    return new ContextRequest(contexts, truthy(data.get("exit")), truthy(data.get("reset")));
  }

  private static void add(List<String> contexts, JsonNode value, String name) {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isArray()) {
      value.forEach(item -> add(contexts, item, name));
    } else if (value.isValueNode()) {
      String text = value.asText();
      if (text.length() > MAX_LENGTH) {
        throw new FrameRejected(400, "INVALID_PARAMETER", "A context name has at most " + MAX_LENGTH
            + " characters", name);
      }
      if (!text.isEmpty()) { // the Node plugin skips empty contexts
        contexts.add(text);
      }
    } else {
      throw new FrameRejected(400, "INVALID_PARAMETER", "'" + name + "' must be a string or an array of strings",
          name);
    }
  }

  private static boolean truthy(JsonNode value) {
    return value != null && (value.isBoolean() ? value.booleanValue()
        : value.isNumber() ? value.asDouble() != 0 : value.isTextual() && !value.asText().isEmpty());
  }
}
