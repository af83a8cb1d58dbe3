package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.test.WsClient;

/**
 * Events in commit order while the fan-out is the bottleneck: with room for one waiting event, every emitter waits
 * for the fan-out, and emitters that wait must not overtake each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "cds.websocket.fan-out-queue=1")
class CommitOrderTest {

  private static final int EMITTERS = 4;
  private static final int CHANGE_SETS = 40;
  private static final int EVENTS_PER_CHANGE_SET = 3;

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Autowired
  HookService hookService;

  @Test
  @DisplayName("E2 B2: with a fan-out queue of 1 and concurrent emitters, every client gets each change set whole, "
      + "and each emitter's change sets in the order they committed")
  void concurrentChangeSets() throws Exception {
    List<WsClient> clients = new ArrayList<>();
    ExecutorService emitters = Executors.newFixedThreadPool(EMITTERS);
    try {
      for (String user : List.of("alice", "carol", "erin")) {
        clients.add(WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"), basic(user, user)));
      }
      List<Future<?>> running = new ArrayList<>();
      for (int e = 0; e < EMITTERS; e++) {
        int emitter = e;
        running.add(emitters.submit(() -> emitChangeSets(emitter)));
      }
      for (Future<?> emitting : running) {
        emitting.get(60, TimeUnit.SECONDS);
      }
      for (WsClient client : clients) {
        assertCommitOrder(client);
      }
    } finally {
      emitters.shutdownNow();
      clients.forEach(WsClient::close);
    }
  }

  /** Each change set: events "emitter:changeSet:event", committed together. */
  private void emitChangeSets(int emitter) {
    for (int c = 0; c < CHANGE_SETS; c++) {
      int changeSet = c;
      runtime.requestContext().systemUser("t1").run(request -> {
        runtime.changeSetContext().run(commit -> {
          for (int event = 0; event < EVENTS_PER_CHANGE_SET; event++) {
            hookService.emit(HookEvents.ping(emitter + ":" + changeSet + ":" + event));
          }
        });
      });
    }
  }

  /**
   * Every event arrives once; an event that is not the first of its change set follows the one before it directly;
   * a change set's first event follows the emitter's previous change set.
   */
  private static void assertCommitOrder(WsClient client) {
    Map<Integer, Integer> lastChangeSet = new HashMap<>();
    int[] previous = null;
    for (int i = 0; i < EMITTERS * CHANGE_SETS * EVENTS_PER_CHANGE_SET; i++) {
      String text = client.next("ping").at("/data/text").asText();
      int[] current = Arrays.stream(text.split(":")).mapToInt(Integer::parseInt).toArray();
      if (current[2] > 0) {
        assertThat(previous).as("frame %d (%s) follows the event before it in its change set", i, text)
            .containsExactly(current[0], current[1], current[2] - 1);
      } else {
        assertThat(current[1]).as("frame %d (%s): the emitter's next change set", i, text)
            .isEqualTo(lastChangeSet.getOrDefault(current[0], -1) + 1);
        lastChangeSet.put(current[0], current[1]);
      }
      previous = current;
    }
  }
}
