package dev.capws.websocket.internal.outbound;

import java.util.LinkedHashMap;
import java.util.Map;

import com.sap.cds.services.changeset.ChangeSetContext;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.broker.RecoverySettings;
import dev.capws.websocket.internal.format.JsonFormat;
import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.HttpHeaders;
import dev.capws.websocket.internal.targeting.Targeting;
import dev.capws.websocket.internal.targeting.TargetingResolver;

/**
 * The one way an event reaches clients, whether a CAP handler emitted it or the facade broadcast it: its recipients
 * are worked out (annotations, emit headers, the emitting user), its data is shaped by the declaration and composed
 * into a frame once, and the envelope goes to the broker when the emitting change set commits.
 */
public final class Publisher {

  private final CommitGate gate;
  private final TargetingResolver targeting;
  private final PublishSettings settings;
  private final RecoverySettings recovery;
  /** Set when events go through CAP's outbox; null: they wait for the commit in memory. */
  private volatile OutboxDelivery outbox;

  public Publisher(CommitGate gate, TargetingResolver targeting, PublishSettings settings,
      RecoverySettings recovery) {
    this.gate = gate;
    this.targeting = targeting;
    this.settings = settings;
    this.recovery = recovery;
  }

  /**
   * @param headers   the emit headers (who receives it, format headers)
   * @param emitter   the user who emits: their tenant's clients receive it, and "current user" targeting means them
   * @param except    the id of a connection that must not receive it, or 0
   * @param changeSet the change set to wait for, or null to publish at once
   */
  public void publish(EventRoute route, Object data, Map<String, Object> headers, UserInfo emitter, long except,
      ChangeSetContext changeSet) {
    Targeting recipients = targeting.resolve(route.service(), route.declared(),
        data instanceof Map<?, ?> map ? map : null, headers, emitter.getName());
    String frame = compose(route, data, formatHeaders(headers));
    String owner = route.service().getQualifiedName();
    Envelope envelope = new Envelope(route.targetService(), emitter.getTenant(), route.name(), frame, recipients,
        except, route.recovery() && JsonFormat.NAME.equals(route.format().name()),
        owner.equals(route.targetService()) ? null : owner); // a mixin's event: only for who may access its service
    OutboxDelivery durable = outbox;
    if (durable != null) {
      durable.submit(envelope); // stored with the data; the outbox publishes after the commit
    } else {
      gate.publishAfterCommit(settings.afterCommit() ? changeSet : null, envelope);
    }
  }

  /** From now on, events go through CAP's outbox. */
  public void deliverThrough(OutboxDelivery delivery) {
    this.outbox = delivery;
  }

  /** The outbox events go through, or null. */
  public OutboxDelivery outbox() {
    return outbox;
  }

  /** The frame of an event in its route's format; declared events are shaped by their declaration. */
  public String compose(EventRoute route, Object data, Map<String, Object> formatHeaders) {
    Object payload = data;
    if (route.declared() != null) {
      payload = settings.shapePayload() ? PayloadShaper.shape(route.declared(), data)
          : PayloadShaper.withoutIgnored(route.declared(), data);
    }
    return route.format().compose(route.service(), route.declared(), route.name(), payload, formatHeaders);
  }

  /**
   * The headers of an emit: the {@code x-ws-*} headers of the HTTP request that caused it, overridden by those set in
   * Java ({@code EmitHeaders}).
   */
  public Map<String, Object> emitHeaders(Map<String, String> httpHeaders, Map<?, ?> emitted, String format) {
    Map<String, Object> headers = HttpHeaders.emitHeaders(httpHeaders, format, !settings.httpHeaderIncludes());
    if (emitted != null) {
      if (headers.get(HttpHeaders.CALLER_EXCLUDES) instanceof HttpHeaders.CallerExcludes caller) {
        headers.put(HttpHeaders.CALLER_EXCLUDES, caller.without(emitted.keySet()));
      }
      emitted.forEach((name, value) -> headers.put(String.valueOf(name), value));
    }
    return headers;
  }

  /** Whether the clients of this endpoint's service can catch up: events carry their position. */
  public boolean recovers(WebSocketEndpoint endpoint) {
    return recovery.appliesTo(endpoint);
  }

  /** Whether events wait for the commit of the change set they were emitted in. */
  public boolean afterCommit() {
    return settings.afterCommit();
  }

  /** The {@code ws} and {@code websocket} sections of the headers go into the frame, as in the Node plugin. */
  public static Map<String, Object> formatHeaders(Map<String, Object> headers) {
    Map<String, Object> section = new LinkedHashMap<>();
    for (String name : new String[] { "websocket", "ws" }) {
      if (headers.get(name) instanceof Map<?, ?> map) {
        map.forEach((key, value) -> section.put(String.valueOf(key), value));
      }
    }
    return section;
  }
}
