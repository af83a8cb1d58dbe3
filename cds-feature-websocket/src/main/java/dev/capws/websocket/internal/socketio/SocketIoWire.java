package dev.capws.websocket.internal.socketio;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.capws.websocket.internal.format.JsonFrames;

/**
 * The texts the server sends, as Engine.IO 4 packets (a type digit, then the data); Socket.IO packets travel in
 * Engine.IO's message packet ({@code 4}), so they start with {@code 4}, e.g. {@code 42/ws/chat,["received",{}]}.
 * Pure, no I/O.
 */
public final class SocketIoWire {

  /** Engine.IO: the server ends the session. */
  public static final String CLOSE = "1";
  /** Engine.IO: the server's heartbeat, answered with {@link #PONG}. */
  public static final String PING = "2";
  public static final String PONG = "3";
  /** Engine.IO: ends a poll that waits while the transport changes. */
  public static final String NOOP = "6";
  /** Engine.IO: what the probe of an upgrade is answered with. */
  public static final String PROBE_ANSWER = "3probe";

  private SocketIoWire() {}

  /** Engine.IO's open packet, the first thing a client receives. */
  public static String open(String sid, boolean upgrades, long pingInterval, long pingTimeout, int maxPayload) {
    ObjectNode open = JsonFrames.objectNode();
    open.put("sid", sid);
    open.set("upgrades", JsonFrames.tree(upgrades ? List.of("websocket") : List.of()));
    open.put("pingInterval", pingInterval);
    open.put("pingTimeout", pingTimeout);
    open.put("maxPayload", maxPayload);
    return "0" + JsonFrames.write(open);
  }

  public static String connected(String namespace, String socketId) {
    return "40" + prefix(namespace) + JsonFrames.write(Map.of("sid", socketId));
  }

  public static String connectError(String namespace, String message) {
    return "44" + prefix(namespace) + JsonFrames.write(Map.of("message", message));
  }

  public static String disconnect(String namespace) {
    return "41" + prefix(namespace);
  }

  /** An event with one argument, given as JSON text (composed once per broadcast). */
  public static String event(String namespace, String event, String argumentJson) {
    return "42" + prefix(namespace) + "[" + JsonFrames.write(event) + "," + argumentJson + "]";
  }

  /** The answer to an acknowledged event: its arguments (a JSON array). */
  public static String ack(String namespace, long ackId, List<?> arguments) {
    return "43" + prefix(namespace) + ackId + JsonFrames.write(arguments);
  }

  /** The main namespace goes without a name; others are named and followed by a comma. */
  private static String prefix(String namespace) {
    return "/".equals(namespace) ? "" : namespace + ",";
  }
}
