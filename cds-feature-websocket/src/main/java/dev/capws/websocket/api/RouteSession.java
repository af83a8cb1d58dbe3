package dev.capws.websocket.api;

import com.sap.cds.services.request.UserInfo;

/** One client of a {@link WebSocketRoute}. */
public interface RouteSession {

  /** The path the client connected to. */
  String path();

  /** The user of the upgrade request. */
  UserInfo user();

  /** The client's {@code ?id=}, or null. */
  String identifier();

  /** Queues a text frame for the client; never blocks on the network. */
  void send(String text);

  /** Closes the session with an RFC 6455 close code. */
  void close(int code, String reason);
}
