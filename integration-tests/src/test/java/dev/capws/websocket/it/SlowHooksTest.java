package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/**
 * Application code that runs when a connection closes (wsDisconnect, onDisconnect) runs on threads of its own: a slow
 * hook delays its own connection's other hooks, never the delivery of events to anybody else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Few container threads, as on a busy server: the container takes the drops up one at a time, so the fan-out meets
// dead sockets too, and whichever thread notices a drop must not be the one that runs its hooks.
@TestPropertySource(properties = { "cds.websocket.max-connections-per-user=300", "server.tomcat.threads.max=4" })
class SlowHooksTest {

  private static final int DROPPING = 200;
  private static final int EVENTS = 20;
  /** Far below what 200 hooks of 100 ms take one after the other (20 s). */
  private static final long MAX_LATENCY_MILLIS = 1_000;

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Autowired
  SlowHooks slowHooks;

  @Test
  @DisplayName("E3 B2: 200 clients drop at once, each with a 100 ms wsDisconnect: another client still gets every "
      + "event emitted meanwhile within 1 s, and every hook runs, on the hook threads")
  void slowHooksDelayNobody() throws InterruptedException {
    slowHooks.expect(DROPPING);
    List<RawSocket> dropping = new ArrayList<>();
    try (WsClient observer = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook?id=observer"),
        basic("carol", "carol"))) {
      for (int i = 0; i < DROPPING; i++) {
        dropping.add(RawSocket.upgrade(port, "/ws/hook?id=" + SlowHooks.PREFIX + "-" + i, basic("alice", "alice")));
      }
      dropping.forEach(RawSocket::reset); // killed, as when a pod with 200 browser tabs behind it goes away
      long slowest = 0;
      for (int i = 0; i < EVENTS; i++) {
        String text = "meanwhile " + i;
        long start = System.nanoTime();
        runtime.requestContext().systemUser("t1").run(context -> {
          hookService.emit(HookEvents.ping(text));
        });
        observer.next(frame -> text.equals(frame.at("/data/text").asText()));
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      }
      assertThat(slowest).as("the slowest event's way to the observer, in ms").isLessThan(MAX_LATENCY_MILLIS);

      assertThat(slowHooks.await(60)).as("every dropped client's onDisconnect ran").isTrue();
      assertThat(slowHooks.threads()).as("where they ran").containsOnly("ws-hooks");
    }
  }
}
