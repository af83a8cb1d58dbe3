package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.RouteSession;
import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.api.WebSocketRoutes;

/** A custom route (P4): echoes each message in upper case, signed with the user; "bye" closes with 4000. */
@Component
public class EchoRoute implements WebSocketRoute {

  private final HookLog log;

  EchoRoute(CdsRuntime runtime, HookLog log) {
    this.log = log;
    WebSocketRoutes.of(runtime).add("/ws/echo", this);
  }

  @Override
  public void opened(RouteSession session) {
    session.send("welcome " + session.user().getName() + " as " + session.identifier());
  }

  @Override
  public void received(RouteSession session, String message) {
    if (message.equals("bye")) {
      session.disconnect(4000, "bye");
    } else {
      session.send(message.toUpperCase() + " from " + session.user().getName());
    }
  }

  @Override
  public void closed(RouteSession session, int code) {
    log.add("route " + session.user().getName() + " " + code);
  }
}
