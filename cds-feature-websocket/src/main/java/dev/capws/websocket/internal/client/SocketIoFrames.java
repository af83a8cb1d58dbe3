package dev.capws.websocket.internal.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The client's side of Socket.IO 5 over Engine.IO 4, WebSocket transport only (as {@code io(url, {transports:
 * ["websocket"]})}): where to connect for a service URL, and the packets the client writes. Reading the server's
 * packets is {@link dev.capws.websocket.internal.socketio.SocketIoPacket#read}. Pure, no I/O.
 */
final class SocketIoFrames {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SocketIoFrames() {}

  /**
   * {@code http://host/ws/chat?id=x} becomes {@code ws://host/socket.io/?EIO=4&transport=websocket&id=x}: the
   * Engine.IO endpoint of the server, with the URL's query (the client identifier) as the Socket.IO client sends it.
   */
  static URI engine(URI service, String enginePath) {
    String scheme = switch (service.getScheme()) {
      case "https", "wss" -> "wss";
      default -> "ws";
    };
    String query = "EIO=4&transport=websocket" + (service.getRawQuery() == null ? "" : "&" + service.getRawQuery());
    return URI.create(scheme + "://" + service.getRawAuthority() + enginePath + "?" + query);
  }

  /** The namespace of a service URL: its path ({@code /ws/chat}), or {@code /}. */
  static String namespace(URI service) {
    String path = service.getPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** Joins the namespace. */
  static String connect(String namespace) {
    return "40" + prefix(namespace);
  }

  /** An event with one argument; with an ack id (0 or more) the server answers with an ack packet. */
  static String event(String namespace, String event, Object data, long ackId) {
    List<Object> arguments = new ArrayList<>(2);
    arguments.add(event);
    arguments.add(data);
    try {
      return "42" + prefix(namespace) + (ackId >= 0 ? String.valueOf(ackId) : "") + JSON.writeValueAsString(arguments);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The data of '" + event + "' cannot be written as JSON", e);
    }
  }

  private static String prefix(String namespace) {
    return "/".equals(namespace) ? "" : namespace + ",";
  }
}
