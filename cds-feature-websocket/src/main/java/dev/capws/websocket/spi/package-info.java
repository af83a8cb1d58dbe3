/**
 * What applications implement: their own formats ({@link dev.capws.websocket.spi.WebSocketFormat}, listed in {@code
 * META-INF/services}).
 */
package dev.capws.websocket.spi;
