/**
 * <b>Not API.</b> The built-in formats (json, pcp, cloudevent(s), generic) and the lookup of a definition's format.
 */
package dev.capws.websocket.internal.format;
