package dev.capws.websocket.spi;

/** A message as the engine's history keeps it: with where it stands in its service's history. */
public record PositionedMessage(BrokerMessage message, Position position) {}
