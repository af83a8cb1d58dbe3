/**
 * <b>Not API.</b> The CDS model as endpoints: which services, events and operations are served at which path, and
 * the plugin's annotations.
 */
package dev.capws.websocket.internal.model;
