/**
 * <b>Not API.</b> Carrying committed envelopes to the clients: the local fan-out thread, with back-pressure; the
 * seam for brokers across instances.
 */
package dev.capws.websocket.internal.broker;
