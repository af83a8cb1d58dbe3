package dev.capws.websocket.transport;

import java.util.concurrent.atomic.AtomicLong;

import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.model.WebSocketEndpoint;

/**
 * One connected client: who it is (the user and tenant of its upgrade request, its {@code ?id=} identifier), which
 * endpoint it is on, and its outbound queue. Everything the rest of the plugin needs, with no container types.
 */
public final class Connection {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final long id = SEQUENCE.incrementAndGet();
  private final WebSocketEndpoint endpoint;
  private final UserInfo user;
  private final String identifier;
  private final Outbox outbox;
  private final FrameSink sink;

  Connection(WebSocketEndpoint endpoint, UserInfo user, String identifier, FrameSink sink, int queueLimit) {
    this.endpoint = endpoint;
    this.user = user;
    this.identifier = identifier;
    this.sink = sink;
    this.outbox = new Outbox(sink, queueLimit);
  }

  public long id() {
    return id;
  }

  public WebSocketEndpoint endpoint() {
    return endpoint;
  }

  /** The user of the upgrade request; every call this client makes runs as this user. */
  public UserInfo user() {
    return user;
  }

  /** The tenant of the upgrade request, or null for a single-tenant application. */
  public String tenant() {
    return user.getTenant();
  }

  /** The client's {@code ?id=} query parameter, or null. */
  public String identifier() {
    return identifier;
  }

  /** Queues a frame for this client without waiting for the network. */
  public boolean send(String frame) {
    return outbox.offer(frame);
  }

  public void close(int code, String reason) {
    outbox.close();
    sink.close(code, reason);
  }

  void closed() {
    outbox.close();
  }

  @Override
  public String toString() {
    return "Connection#" + id + "(" + endpoint.path() + ", user " + user.getName() + ")";
  }
}
