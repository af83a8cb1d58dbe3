/**
 * <b>Not API.</b> Carrying committed envelopes to the clients: the local fan-out thread, with back-pressure; Redis
 * streams; the broker engines of applications ({@link dev.capws.websocket.internal.broker.EngineBroker}).
 */
package dev.capws.websocket.internal.broker;
