package dev.capws.websocket.internal.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.internal.format.JsonFrames;

/**
 * One Socket.IO 5 packet as text: {@code <type>[<namespace>,][<ack id>][<JSON>]}, e.g. {@code 2/ws/chat,7["message",{}]}.
 * The reading side of the parser; {@link SocketIoWire} writes them. Pure, no I/O.
 *
 * @param type      {@link #CONNECT} ... {@link #BINARY_ACK}
 * @param namespace the namespace, {@code /} when the packet names none
 * @param ackId     the acknowledgement id, or -1
 * @param payload   the JSON after the header, or null
 */
public record SocketIoPacket(int type, String namespace, long ackId, JsonNode payload) {

  public static final int CONNECT = 0;
  public static final int DISCONNECT = 1;
  public static final int EVENT = 2;
  public static final int ACK = 3;
  public static final int CONNECT_ERROR = 4;
  public static final int BINARY_EVENT = 5;
  public static final int BINARY_ACK = 6;

  /** Ack ids beyond this are refused: the client counts from 0, and a long keeps the text short. */
  private static final int MAX_ACK_DIGITS = 15;

  /**
   * Reads a packet (the text after Engine.IO's message type {@code 4}).
   *
   * @throws IllegalArgumentException if it is not a Socket.IO packet (the Node server closes the connection then)
   */
  public static SocketIoPacket parse(String text) {
    SocketIoPacket packet = read(text);
    packet.check();
    return packet;
  }

  /**
   * Reads a packet of either side, without the checks of what a client may send (a client service reads the
   * server's {@code CONNECT}, {@code CONNECT_ERROR} and {@code ACK} packets with it).
   *
   * @throws IllegalArgumentException if it is not a Socket.IO packet
   */
  public static SocketIoPacket read(String text) {
    if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
      throw new IllegalArgumentException("Unknown packet type");
    }
    int type = text.charAt(0) - '0';
    int i = 1;
    if (type == BINARY_EVENT || type == BINARY_ACK) {
      throw new IllegalArgumentException("Binary packets are not supported");
    }
    String namespace = "/";
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? text.length() : comma;
      namespace = text.substring(i, end);
      i = comma < 0 ? end : end + 1;
    }
    int digits = i;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i - digits > MAX_ACK_DIGITS) {
      throw new IllegalArgumentException("Ack id too long");
    }
    long ackId = i > digits ? Long.parseLong(text.substring(digits, i)) : -1;
    JsonNode payload = null;
    if (i < text.length()) {
      try {
        payload = JsonFrames.parse(text.substring(i));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("Payload is not JSON: " + e.getOriginalMessage(), e);
      }
    }
    return new SocketIoPacket(type, namespace, ackId, payload);
  }

  /** As the Socket.IO parser's own check: an event is an array that starts with its name. */
  private void check() {
    switch (type) {
      case EVENT:
        if (payload == null || !payload.isArray() || payload.isEmpty() || !payload.get(0).isTextual()) {
          throw new IllegalArgumentException("An event must be an array that starts with its name");
        }
        break;
      case ACK:
        if (payload == null || !payload.isArray()) {
          throw new IllegalArgumentException("An ack must be an array");
        }
        break;
      case CONNECT:
        if (payload != null && !payload.isObject()) {
          throw new IllegalArgumentException("Connect data must be an object");
        }
        break;
      case DISCONNECT:
        if (payload != null) {
          throw new IllegalArgumentException("A disconnect carries no data");
        }
        break;
      default:
        throw new IllegalArgumentException("A client does not send packets of type " + type);
    }
  }

  /** An event's name. */
  public String event() {
    return payload.get(0).asText();
  }

  /** An event's first argument (its data), or null. */
  public JsonNode data() {
    return payload.size() > 1 ? payload.get(1) : null;
  }

  public boolean wantsAck() {
    return ackId >= 0;
  }
}
