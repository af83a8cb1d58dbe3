/**
 * <b>Not API.</b> Who receives an event: targeting resolved from annotations, headers and the emitting user; the
 * registry of connections, indexed by service, tenant, user, role, context and identifier; recipients of an
 * envelope.
 */
package dev.capws.websocket.internal.targeting;
