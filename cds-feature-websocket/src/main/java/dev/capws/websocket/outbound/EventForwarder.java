package dev.capws.websocket.outbound;

import java.util.LinkedHashMap;
import java.util.Map;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.handler.Handler;

import dev.capws.websocket.api.EmitHeaders;
import dev.capws.websocket.broker.Broadcast;
import dev.capws.websocket.format.WebSocketFormat;
import dev.capws.websocket.transport.Targeting;

/**
 * Registered as an {@code @After} handler of each declared event of a WebSocket service: whatever code emits the
 * event, its recipients are worked out (annotations, emit headers, the emitting user), its data is shaped by the
 * declaration and composed into a frame once, and it is published when the emitting change set commits, to the
 * clients of that service in the emitting tenant.
 */
public final class EventForwarder implements Handler {

  private final CdsService service;
  private final String target;
  private final String name;
  private final CdsEvent event;
  private final CommitGate gate;
  private final TargetingResolver targeting;
  private final WebSocketFormat format;
  private final boolean shapePayload;
  private final boolean afterCommit;
  private final boolean httpHeaderIncludes;

  /**
   * @param service      the service that declares the event
   * @param target       the service whose clients receive it (the same, or for a mixin the one served at its path)
   * @param name         the event's name within the service, as it goes on the wire
   * @param format       the event's format ({@code @ws.format} of the event or its service)
   * @param shapePayload send only the declared elements
   * @param afterCommit  wait for the commit (else: publish at once, as the Node plugin does)
   * @param httpHeaderIncludes take x-ws-* HTTP headers that add recipients too (else only those that exclude)
   */
  public EventForwarder(CdsService service, String target, String name, CdsEvent event, CommitGate gate,
      TargetingResolver targeting, WebSocketFormat format, boolean shapePayload, boolean afterCommit,
      boolean httpHeaderIncludes) {
    this.httpHeaderIncludes = httpHeaderIncludes;
    this.format = format;
    this.service = service;
    this.target = target;
    this.name = name;
    this.event = event;
    this.gate = gate;
    this.targeting = targeting;
    this.shapePayload = shapePayload;
    this.afterCommit = afterCommit;
  }

  @Override
  public void process(EventContext context) {
    Object data = context.get("data");
    Map<String, Object> headers = headers(context, format.name(), httpHeaderIncludes);
    Targeting recipients = targeting.resolve(service, event, data instanceof Map<?, ?> map ? map : null, headers,
        context.getUserInfo().getName());
    Object payload = shapePayload ? PayloadShaper.shape(event, data) : PayloadShaper.withoutIgnored(event, data);
    String frame = format.compose(service, event, name, payload, formatHeaders(headers));
    Broadcast broadcast = new Broadcast(target, context.getUserInfo().getTenant(),
        name, frame, recipients, 0);
    gate.publishAfterCommit(afterCommit ? context.getChangeSetContext() : null, broadcast);
  }

  /** The {@code x-ws-*} headers of the HTTP request, overridden by the emit headers set in Java. */
  private static Map<String, Object> headers(EventContext context, String format, boolean httpHeaderIncludes) {
    Map<String, Object> headers = HttpHeaders.emitHeaders(context.getParameterInfo().getHeaders(), format,
        !httpHeaderIncludes);
    if (context.get(EmitHeaders.KEY) instanceof Map<?, ?> emitted) {
      emitted.forEach((name, value) -> headers.put(String.valueOf(name), value));
    }
    return headers;
  }

  /** The {@code ws} and {@code websocket} sections of the headers go into the frame, as in the Node plugin. */
  static Map<String, Object> formatHeaders(Map<String, Object> headers) {
    Map<String, Object> section = new LinkedHashMap<>();
    for (String name : new String[] { "websocket", "ws" }) {
      if (headers.get(name) instanceof Map<?, ?> map) {
        map.forEach((key, value) -> section.put(String.valueOf(key), value));
      }
    }
    return section;
  }
}
