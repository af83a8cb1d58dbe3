package dev.capws.websocket.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sap.cds.services.EventContext;

/**
 * The emit headers of an event, the Java counterpart of the third argument of {@code srv.emit(event, data, headers)}
 * in CAP Node.js: they say who receives the event ({@link #users}, {@link #contexts}, ...) and carry format headers
 * ({@link #ws}). Set them on the event context before emitting it:
 *
 * <pre>{@code
 * ReceivedContext event = ReceivedContext.create();
 * event.setData(received);
 * EmitHeaders.of(event).contexts("order-4711").excludeCurrentUser();
 * chatService.emit(event);
 * }</pre>
 *
 * Every header name the Node plugin accepts works through {@link #put} too ({@code "wsUser.include"},
 * {@code "contextExclude"}, ...).
 */
public final class EmitHeaders {

  /** Where the headers live in the event context. */
  public static final String KEY = "ws.headers";

  private final Map<String, Object> headers;

  private EmitHeaders(Map<String, Object> headers) {
    this.headers = headers;
  }

  /** The headers of this event context, created empty on first use. */
  @SuppressWarnings("unchecked")
  public static EmitHeaders of(EventContext context) {
    Object existing = context.get(KEY);
    if (existing instanceof Map<?, ?> map) {
      return new EmitHeaders((Map<String, Object>) map);
    }
    Map<String, Object> headers = new LinkedHashMap<>();
    context.put(KEY, headers);
    return new EmitHeaders(headers);
  }

  /** Headers of their own, e.g. for {@link WebSocketConnection#broadcast(String, Object, java.util.function.Consumer)}. */
  public static EmitHeaders create() {
    return new EmitHeaders(new LinkedHashMap<>());
  }

  /** The headers as a read-only map, as the plugin reads them. */
  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(headers);
  }

  /** Any header, under any name the Node plugin accepts. */
  public EmitHeaders put(String name, Object value) {
    headers.put(name, value);
    return this;
  }

  public EmitHeaders users(String... users) {
    return add("user.include", users);
  }

  public EmitHeaders excludeUsers(String... users) {
    return add("user.exclude", users);
  }

  public EmitHeaders roles(String... roles) {
    return add("role.include", roles);
  }

  public EmitHeaders excludeRoles(String... roles) {
    return add("role.exclude", roles);
  }

  public EmitHeaders contexts(String... contexts) {
    return add("context.include", contexts);
  }

  public EmitHeaders excludeContexts(String... contexts) {
    return add("context.exclude", contexts);
  }

  /** Clients connected with {@code ?id=} one of these. */
  public EmitHeaders identifiers(String... identifiers) {
    return add("identifier.include", identifiers);
  }

  public EmitHeaders excludeIdentifiers(String... identifiers) {
    return add("identifier.exclude", identifiers);
  }

  /** Only the clients of the user who emits. */
  public EmitHeaders includeCurrentUser() {
    return put("currentUser.include", true);
  }

  /** Not the clients of the user who emits. */
  public EmitHeaders excludeCurrentUser() {
    return put("currentUser.exclude", true);
  }

  /** {@link Operator#AND}: a client must match every include layer; {@link Operator#OR} (default): any. */
  public EmitHeaders includeOperator(Operator operator) {
    return put("operatorInclude", operator.value());
  }

  /** {@link Operator#AND}: a client is excluded only if it matches every exclude layer; {@link Operator#OR}: any. */
  public EmitHeaders excludeOperator(Operator operator) {
    return put("operatorExclude", operator.value());
  }

  /** Format headers: sent along in the frame's {@code headers}. */
  public EmitHeaders ws(Map<String, Object> formatHeaders) {
    return put("ws", formatHeaders);
  }

  private EmitHeaders add(String name, String... values) {
    Object existing = headers.get(name);
    List<Object> all = new ArrayList<>();
    if (existing instanceof Collection<?> collection) {
      all.addAll(collection);
    } else if (existing != null) {
      all.add(existing);
    }
    all.addAll(Arrays.asList(values));
    headers.put(name, all);
    return this;
  }
}
