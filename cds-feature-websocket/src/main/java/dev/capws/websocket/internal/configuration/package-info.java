/**
 * <b>Not API.</b> Registration with CAP and Spring: the settings, the parts built once per runtime (a CAP service),
 * the protocol adapter, the index page and the graceful shutdown.
 */
package dev.capws.websocket.internal.configuration;
