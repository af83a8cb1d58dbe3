package dev.capws.websocket.it;

import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * An application's own format (F4), plugged in through META-INF/services: events go out as "event|data", and a
 * client line "operation|text" calls the operation with its first parameter set to the text.
 */
public class LineFormat implements WebSocketFormat {

  @Override
  public String name() {
    return "line";
  }

  @Override
  public String compose(CdsService service, CdsEvent definition, String event, Object data,
      Map<String, Object> headers) {
    return event + "|" + data;
  }

  @Override
  public ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message) {
    String[] parts = message.split("\\|", 2);
    CdsOperation operation = operations.get(parts[0]);
    if (operation == null || parts.length < 2) {
      throw new FrameRejected(400, "INVALID_FRAME", "Expected operation|text");
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    operation.parameters().findFirst().ifPresent(p -> data.put(p.getName(), parts[1]));
    return new ClientFrame(parts[0], data, null, null);
  }
}
