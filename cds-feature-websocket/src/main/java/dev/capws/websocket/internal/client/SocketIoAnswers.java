package dev.capws.websocket.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Socket.IO acknowledgement as the reply frame a call of a plain client gets: the ack's first argument is the
 * result, or, as the Node plugin and this plugin answer failures, {@code {"error": {"code", "message"}}}. The code is
 * CAP's error code (an HTTP status such as {@code 403}, a longer CAP code such as {@code 409006}) or a word
 * ({@code UNKNOWN_EVENT}, {@code RATE_LIMITED}): it becomes the reply's HTTP status.
 */
final class SocketIoAnswers {

  private SocketIoAnswers() {}

  static JsonNode asReply(JsonNode arguments) {
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    JsonNode result = arguments != null && arguments.size() > 0 ? arguments.get(0) : null;
    JsonNode error = result != null && result.isObject() && result.size() == 1 ? result.get("error") : null;
    if (error != null && error.isObject()) {
      ObjectNode failed = reply.putObject("error");
      failed.put("status", status(error.path("code").asText()));
      failed.put("message", error.path("message").asText(error.path("code").asText()));
      return reply;
    }
    reply.set("data", result);
    return reply;
  }

  private static int status(String code) {
    if (code.matches("[45]\\d\\d\\d*")) {
      return Integer.parseInt(code.substring(0, 3)); // 403; 409006 is CAP's 409 with a detail
    }
    return switch (code) {
      case "UNKNOWN_EVENT" -> 404;
      case "RATE_LIMITED" -> 429;
      default -> 500;
    };
  }
}
