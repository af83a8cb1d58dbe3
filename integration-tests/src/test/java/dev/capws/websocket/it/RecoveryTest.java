package dev.capws.websocket.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.WsClient;

/**
 * B3 on one instance with the local broker (default settings; FeedService has {@code @ws.recovery}): a client that
 * reconnects with {@code ?since=<seq>} gets {@code wsRecovery} and what it missed, filtered as live delivery would,
 * then live events with no gap and no duplicate; positions the history cannot serve get {@code recovered: false}.
 * Each test uses its own range of {@code n}, so events of other tests in the shared history never look like its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecoveryTest {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Test
  @DisplayName("B3: a client reconnecting with since gets wsRecovery, the missed events in order, each once, then live")
  void catchUp() {
    try (WsClient witness = Feed.connect(port, "carol")) {
      WsClient alice = Feed.connect(port, "alice");
      Feed.tick(runtime, "t1", 101);
      String since = Feed.seq(Feed.nextTick(alice));
      alice.close();
      IntStream.rangeClosed(102, 111).forEach(n -> Feed.tick(runtime, "t1", n));

      try (WsClient again = Feed.connect(port, "alice", since)) {
        assertThat(Feed.recovered(again)).isEqualTo(10);
        List<JsonNode> caughtUp = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          caughtUp.add(Feed.nextTick(again));
        }
        assertThat(caughtUp.stream().map(Feed::n)).containsExactly(102, 103, 104, 105, 106, 107, 108, 109, 110, 111);
        String previous = since;
        for (JsonNode frame : caughtUp) {
          assertThat(Feed.compare(previous, Feed.seq(frame))).isNegative();
          previous = Feed.seq(frame);
        }
        // The very frames a client that stayed got: same data, same seq.
        assertThat(Feed.n(Feed.nextTick(witness))).isEqualTo(101);
        for (JsonNode frame : caughtUp) {
          assertThat(Feed.nextTick(witness)).isEqualTo(frame);
        }

        // Live again, nothing doubled: the next frame is the next event.
        Feed.tick(runtime, "t1", 112);
        JsonNode live = Feed.nextTick(again);
        assertThat(Feed.n(live)).isEqualTo(112);
        assertThat(Feed.compare(previous, Feed.seq(live))).isNegative();
      }
    }
  }

  @Test
  @DisplayName("B3: nothing missed: recovered with count 0, then live events")
  void nothingMissed() {
    try (WsClient alice = Feed.connect(port, "alice")) {
      Feed.tick(runtime, "t1", 201);
      String since = Feed.seq(Feed.nextTick(alice));
      try (WsClient again = Feed.connect(port, "alice", since)) {
        assertThat(Feed.recovered(again)).isZero();
        Feed.tick(runtime, "t1", 202);
        assertThat(Feed.n(Feed.nextTick(again))).isEqualTo(202);
      }
    }
  }

  @Test
  @DisplayName("B3: a malformed position, an unknown epoch, a position of the future get recovered:false, then live")
  void notRecoverable() {
    String since;
    try (WsClient alice = Feed.connect(port, "alice")) {
      Feed.tick(runtime, "t1", 301);
      since = Feed.seq(Feed.nextTick(alice));
    }
    String minor = Feed.epoch(since) + ":" + since.substring(since.indexOf(':') + 1, since.indexOf('-')) + "-1";
    List<String> positions = List.of("abc", "", "zzzz:1-0", Feed.future(since, 1_000), minor,
        Feed.epoch(since) + ":99999999999999999999-0", since + "x");
    int n = 302;
    for (String position : positions) {
      try (WsClient again = Feed.connect(port, "alice", position)) {
        Feed.notRecovered(again);
        Feed.tick(runtime, "t1", n);
        assertThat(Feed.n(Feed.nextTick(again))).as("live after since=%s", position).isEqualTo(n);
        n++;
      }
    }
  }

  @Test
  @DisplayName("B3: a position trimmed from the history (recovery.max-events later) gets recovered:false")
  void trimmed() {
    String since;
    try (WsClient alice = Feed.connect(port, "alice")) {
      Feed.tick(runtime, "t1", 401);
      since = Feed.seq(Feed.nextTick(alice));
    }
    // 1000 more events of the service (in another tenant: none of them is for alice, so she would have missed
    // nothing, if only the history still reached back to her position).
    for (int n = 0; n < 1000; n++) {
      Feed.tick(runtime, "t2", 400_000 + n);
    }
    try (WsClient again = Feed.connect(port, "alice", since)) {
      Feed.notRecovered(again);
      Feed.tick(runtime, "t1", 402);
      assertThat(Feed.n(Feed.nextTick(again))).isEqualTo(402);
    }
  }

  @Test
  @DisplayName("B3: at most half the outbound queue is replayed (500 of 1000): one more missed event means reload")
  void tooManyMissed() {
    String since;
    try (WsClient alice = Feed.connect(port, "alice")) {
      Feed.tick(runtime, "t1", 500_000);
      since = Feed.seq(Feed.nextTick(alice));
    }
    IntStream.rangeClosed(500_001, 500_500).forEach(n -> Feed.tick(runtime, "t1", n));
    try (WsClient again = Feed.connect(port, "alice", since)) {
      assertThat(Feed.recovered(again)).isEqualTo(500);
      assertThat(Feed.nextTicks(again, 500)).isEqualTo(IntStream.rangeClosed(500_001, 500_500).boxed().toList());
    }
    Feed.tick(runtime, "t1", 500_501);
    try (WsClient again = Feed.connect(port, "alice", since)) {
      Feed.notRecovered(again);
      Feed.tick(runtime, "t1", 500_502);
      assertThat(Feed.nextTickAfter(again, 500_501)).isEqualTo(500_502);
    }
  }

  @Test
  @DisplayName("B3 E4 A2: recovery filters as live delivery: a private event only to its user, events of its tenant")
  void filtered() {
    String alicePos;
    String carolPos;
    String bobPos;
    try (WsClient alice = Feed.connect(port, "alice"); WsClient carol = Feed.connect(port, "carol");
        WsClient bob = Feed.connect(port, "bob")) {
      Feed.tick(runtime, "t1", 601);
      Feed.tick(runtime, "t2", 651);
      alicePos = Feed.seq(Feed.nextTick(alice));
      carolPos = Feed.seq(Feed.nextTick(carol));
      bobPos = Feed.seq(Feed.nextTick(bob));
      assertThat(alicePos).isEqualTo(carolPos);
    }
    Feed.privately(runtime, "t1", 602, "alice");
    Feed.tick(runtime, "t1", 603);
    Feed.privately(runtime, "t1", 604, "carol");
    Feed.tick(runtime, "t2", 652);
    Feed.privately(runtime, "t2", 653, "alice"); // a user of the same name in another tenant is someone else

    try (WsClient alice = Feed.connect(port, "alice", alicePos); WsClient carol = Feed.connect(port, "carol", carolPos);
        WsClient bob = Feed.connect(port, "bob", bobPos)) {
      assertThat(Feed.recovered(alice)).isEqualTo(2);
      assertThat(Feed.events(alice, 2)).containsExactly("private 602", "tick 603");
      assertThat(Feed.recovered(carol)).isEqualTo(2);
      assertThat(Feed.events(carol, 2)).containsExactly("tick 603", "private 604");
      assertThat(Feed.recovered(bob)).isEqualTo(1);
      assertThat(Feed.events(bob, 1)).containsExactly("tick 652");

      // Nothing else came: the next frame of each is a live event emitted now.
      Feed.tick(runtime, "t1", 605);
      Feed.tick(runtime, "t2", 654);
      assertThat(Feed.events(alice, 1)).containsExactly("tick 605");
      assertThat(Feed.events(carol, 1)).containsExactly("tick 605");
      assertThat(Feed.events(bob, 1)).containsExactly("tick 654");
    }
  }

  @Test
  @DisplayName("B3: a service without recovery: frames carry no seq, since is ignored (no wsRecovery frame)")
  void serviceWithoutRecovery() {
    try (WsClient alice = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/target?since=abc"),
        WsClient.basic("alice", "alice"))) {
      runtime.requestContext().systemUser("t1").run(context -> {
        EventContext event = EventContext.create("everyone", null);
        event.put("data", new HashMap<>(Map.of("text", "no seq")));
        runtime.getServiceCatalog().getService("TargetService").emit(event);
      });
      assertThat(alice.next().toString()).isEqualTo("{\"event\":\"everyone\",\"data\":{\"text\":\"no seq\"}}");
    }
  }

  @Test
  @DisplayName("B3: the seam: reconnecting while events stream in, recovered + live is every n once, in order")
  void seam() {
    SteadyStream.followAcrossReconnects(700_000, 8, n -> Feed.tick(runtime, "t1", n),
        (cycle, since) -> Feed.connect(port, "alice", since));
  }
}
