package dev.capws.websocket.internal.outbound;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.WebSocketFormat;

/**
 * Where an event goes and how it is written: known once per declared event (or per facade call for other names).
 *
 * @param service       the service that declares the event (for a mixin, its own service)
 * @param targetService the WebSocket service whose clients receive it
 * @param declared      the event's declaration, or null for a name the service does not declare
 * @param name          the event's name as it goes on the wire
 * @param format        how it is written
 * @param recovery      whether the target service keeps its events for clients that reconnect
 */
public record EventRoute(CdsService service, String targetService, CdsEvent declared, String name,
    WebSocketFormat format, boolean recovery) {
}
