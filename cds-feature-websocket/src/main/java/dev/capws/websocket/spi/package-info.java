/**
 * What applications implement: their own formats ({@link dev.capws.websocket.spi.WebSocketFormat}) and broker
 * engines ({@link dev.capws.websocket.spi.BrokerEngine}), each listed in {@code META-INF/services}.
 */
package dev.capws.websocket.spi;
