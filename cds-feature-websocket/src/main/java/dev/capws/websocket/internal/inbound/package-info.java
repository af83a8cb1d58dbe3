/**
 * <b>Not API.</b> Client frame to CAP call: operations, CRUD, contexts and hooks, run as the connection's user, with
 * one reply per frame; custom routes' messages.
 */
package dev.capws.websocket.internal.inbound;
