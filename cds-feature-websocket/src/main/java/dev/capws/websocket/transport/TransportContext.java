package dev.capws.websocket.transport;

import dev.capws.websocket.configuration.WebSocketSettings;

/** What every connection of the transport shares: settings, the registry, and where inbound frames go. */
public record TransportContext(WebSocketSettings settings, ConnectionRegistry registry, FrameHandler handler) {
}
