package dev.capws.websocket.broker;

/**
 * One event on its way to the clients of a service in a tenant, already composed: every recipient gets these same
 * characters.
 *
 * @param serviceName the qualified name of the WebSocket service
 * @param tenant      the emitting tenant, or null
 * @param event       the event name, for logs and metrics
 * @param frame       the composed frame
 */
public record Broadcast(String serviceName, String tenant, String event, String frame) {
}
