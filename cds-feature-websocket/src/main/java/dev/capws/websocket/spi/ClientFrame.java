package dev.capws.websocket.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client message in the {@code json} format: which operation to call, its parameters, optional headers, and the
 * client's optional correlation id (a string or a number, echoed in the reply).
 */
public record ClientFrame(String event, JsonNode data, JsonNode headers, JsonNode id) {
}
