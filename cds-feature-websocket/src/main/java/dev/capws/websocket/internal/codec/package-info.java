/**
 * <b>Not API.</b> RFC 6455 frames in and out: the incremental reader, encoded outbound frames, opcodes, close codes,
 * strict UTF-8. No I/O.
 */
package dev.capws.websocket.internal.codec;
