/**
 * <b>Not API.</b> The upgrade: path, origin, version, service access, the caller's user and token expiry, connection
 * limits; then the 101 and the hand-over of the socket.
 */
package dev.capws.websocket.internal.handshake;
