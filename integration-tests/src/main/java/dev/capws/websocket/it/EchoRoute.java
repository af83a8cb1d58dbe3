package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.api.RouteSession;
import dev.capws.websocket.api.WebSocketRoute;
import dev.capws.websocket.api.WebSocketRoutes;

/**
 * A custom route (P4): echoes each message in upper case, signed with the user; "bye" closes with 4000; "fail"
 * throws; "close &lt;code&gt;" closes with that code, or answers "refused &lt;code&gt;" if the code may not be sent.
 */
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
    } else if (message.equals("fail")) {
      throw new IllegalStateException("The route failed on purpose");
    } else if (message.startsWith("close ")) {
      int code = Integer.parseInt(message.substring("close ".length()));
      try {
        session.disconnect(code, "asked for");
      } catch (IllegalArgumentException e) {
        session.send("refused " + code);
      }
    } else {
      session.send(message.toUpperCase() + " from " + session.user().getName());
    }
  }

  @Override
  public void closed(RouteSession session, int code) {
    log.add("route " + session.user().getName() + " " + code);
  }
}
