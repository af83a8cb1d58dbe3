/**
 * What applications call: the connection of the call being handled ({@link
 * dev.capws.websocket.api.WebSockets#current()}), emit headers that say who receives an event, custom routes, and a
 * read-only view of the connected clients.
 */
package dev.capws.websocket.api;
