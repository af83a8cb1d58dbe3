/**
 * The Socket.IO kind ({@code cds.websocket.kind: socket.io}): Engine.IO 4 and Socket.IO 5 spoken over the plugin's
 * own connections, so that the registry, targeting, fan-out and brokers serve Socket.IO clients unchanged.
 */
package dev.capws.websocket.internal.socketio;
