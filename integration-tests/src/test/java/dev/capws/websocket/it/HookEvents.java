package dev.capws.websocket.it;

import java.util.Map;

import cds.gen.hookservice.Ping;
import cds.gen.hookservice.PingContext;

import dev.capws.websocket.api.WebSocketClients;

/** Shorthands the tests of HookService share. */
final class HookEvents {

  private HookEvents() {}

  /** A ping event with this text, plus any extra (undeclared) fields. */
  static PingContext ping(String text, Map<String, Object> extra) {
    Ping ping = Ping.create();
    ping.setText(text);
    ping.putAll(extra);
    PingContext event = PingContext.create();
    event.setData(ping);
    return event;
  }

  static PingContext ping(String text) {
    return ping(text, Map.of());
  }

  /** How many connections this user has open on HookService in this tenant. */
  static long connectionsOf(WebSocketClients clients, String tenant, String user) {
    return clients.of("HookService", tenant).stream().filter(c -> c.user().equals(user)).count();
  }
}
