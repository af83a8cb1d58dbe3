/**
 * <b>Not API.</b> One connection's life after the upgrade: reading, the outbound queue and writer, the close
 * handshake, heartbeat and rate limit, and the limits they enforce.
 */
package dev.capws.websocket.internal.connection;
