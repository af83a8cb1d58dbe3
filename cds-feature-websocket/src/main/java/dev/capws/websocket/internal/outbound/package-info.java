/**
 * <b>Not API.</b> CAP emit to envelope: the one publish path for emitted events and facade broadcasts, payload
 * shaping, and the hold until commit.
 */
package dev.capws.websocket.internal.outbound;
