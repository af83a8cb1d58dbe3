package dev.capws.websocket.internal.socketio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.ServiceException;

import dev.capws.websocket.spi.FrameRejected;

/**
 * What an acknowledgement carries, as in the Node plugin: the operation's result as the one argument, or
 * {@code {"error":{"code","message"}}} when it failed. Server faults keep their details in the log.
 */
final class AckAnswer {

  private static final Logger LOG = LoggerFactory.getLogger(AckAnswer.class);

  private AckAnswer() {}

  static List<?> result(Object result) {
    return Collections.singletonList(result);
  }

  static List<?> error(String code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    return List.of(Map.of("error", error));
  }

  /** The answer to a call that threw; logged once, at the level its cause deserves. */
  static List<?> failure(String event, Object who, RuntimeException e) {
    if (e instanceof FrameRejected rejected) {
      LOG.debug("Rejected '{}' from {}: {}", event, who, rejected.getMessage());
      return error(rejected.code(), rejected.getMessage());
    }
    if (e instanceof ServiceException service && service.getErrorStatus().getHttpStatus() < 500) {
      LOG.debug("Operation '{}' refused for {}: {}", event, who, service.getMessage());
      return error(service.getErrorStatus().getCodeString(), service.getLocalizedMessage());
    }
    LOG.error("Operation '{}' failed for {}", event, who, e);
    return error("500", "Internal server error");
  }
}
