package dev.capws.websocket.spi;

import java.util.Map;
import java.util.Set;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

/**
 * How events are written to and messages read from the socket: {@code json} (default), {@code pcp},
 * {@code cloudevent} / {@code cloudevents}, {@code generic}, or an application's own, chosen with
 * {@code @ws.format} on the service or the event. Applications add formats by listing implementations in
 * {@code META-INF/services/dev.capws.websocket.spi.WebSocketFormat}. Implementations are stateless and
 * thread-safe.
 */
public interface WebSocketFormat {

  /** The name used in {@code @ws.format}. */
  String name();

  /**
   * Writes one event; called once per broadcast, whatever the number of recipients.
   *
   * @param service    the service that declares the event
   * @param definition the event's declaration, or null for an undeclared event
   * @param event      the event's name within the service
   * @param data       the payload (maps, lists, values), a copy the format may change
   * @param headers    the emit's format headers (its {@code ws} and {@code websocket} sections), maybe empty
   */
  String compose(CdsService service, CdsEvent definition, String event, Object data, Map<String, Object> headers);

  /**
   * Reads a client message: the operation it calls and the parameters, as JSON.
   *
   * @param operations the operations that can be called here, by name
   * @throws FrameRejected if the message cannot be read or names no operation
   */
  ClientFrame parse(CdsService service, Map<String, CdsOperation> operations, String message);

  /** Whether clients of this format get reply frames (the {@code json} format's result and error frames). */
  default boolean replies() {
    return false;
  }

  /**
   * The subprotocols ({@code Sec-WebSocket-Protocol}) a client may ask for to speak this format; the server agrees to
   * the first one the client offers that its service accepts, and to none otherwise.
   */
  default Set<String> subprotocols() {
    return Set.of();
  }
}
