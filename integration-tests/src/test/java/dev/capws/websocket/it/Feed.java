package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.services.runtime.CdsRuntime;
import com.sap.cds.services.runtime.RequestContextRunner;

import cds.gen.feedservice.FeedService;
import cds.gen.feedservice.FeedService_;
import cds.gen.feedservice.Private;
import cds.gen.feedservice.PrivateContext;
import cds.gen.feedservice.Tick;
import cds.gen.feedservice.TickContext;

import dev.capws.websocket.test.WsClient;

/**
 * FeedService (recovery, scale-out) from the tests' side: emitting its events from Java, connecting its clients with
 * or without {@code ?since=}, and reading positions ({@code "seq"}) and recovery frames.
 */
final class Feed {

  private Feed() {}

  /**
   * Emits {@code tick {n, text: "tick <n>"}} to the tenant (null: the clients without a tenant), as a job of that
   * tenant would (outside a change set).
   */
  static void tick(CdsRuntime runtime, String tenant, int n) {
    as(runtime, tenant).run(context -> {
      TickContext tick = TickContext.create();
      tick.setData(Tick.of(Map.of("n", n, "text", "tick " + n)));
      service(runtime).emit(tick);
    });
  }

  /** Emits {@code private {n, user}}: only {@code user}'s clients get it. */
  static void privately(CdsRuntime runtime, String tenant, int n, String user) {
    as(runtime, tenant).run(context -> {
      PrivateContext event = PrivateContext.create();
      event.setData(Private.of(Map.of("n", n, "user", user)));
      service(runtime).emit(event);
    });
  }

  private static RequestContextRunner as(CdsRuntime runtime, String tenant) {
    return tenant == null ? runtime.requestContext().systemUserProvider()
        : runtime.requestContext().systemUser(tenant);
  }

  private static FeedService service(CdsRuntime runtime) {
    return runtime.getServiceCatalog().getService(FeedService.class, FeedService_.CDS_NAME);
  }

  static WsClient connect(int port, String user) {
    return connect(port, user, null);
  }

  /** Connects as {@code user} (password = name), catching up from {@code since} if it is not null. */
  static WsClient connect(int port, String user, String since) {
    String query = since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8);
    return WsClient.connect(URI.create("ws://localhost:" + port + "/ws/feed" + query), basic(user, user));
  }

  /** The next frame, which must be a tick; returns it. */
  static JsonNode nextTick(WsClient client) {
    JsonNode frame = client.next();
    assertThat(frame.path("event").asText()).as("frame %s", frame).isEqualTo("tick");
    return frame;
  }

  /**
   * The {@code n} of the next tick, past the tick {@code before} if that comes first: a client that joins right after
   * that tick was emitted may still get it, since the fan-out delivers after the emitting call returned, to whoever
   * is connected then.
   */
  static int nextTickAfter(WsClient client, int before) {
    int n = n(nextTick(client));
    return n == before ? n(nextTick(client)) : n;
  }

  /** The {@code n} of the next {@code count} frames, which must all be ticks. */
  static List<Integer> nextTicks(WsClient client, int count) {
    List<Integer> ns = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ns.add(n(nextTick(client)));
    }
    return ns;
  }

  /** The next {@code count} frames as "event n" (e.g. "tick 7", "private 8"). */
  static List<String> events(WsClient client, int count) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode frame = client.next();
      events.add(frame.path("event").asText() + " " + n(frame));
    }
    return events;
  }

  static int n(JsonNode frame) {
    return frame.at("/data/n").asInt();
  }

  static String seq(JsonNode frame) {
    JsonNode seq = frame.get("seq");
    assertThat(seq).as("seq of %s", frame).isNotNull();
    return seq.asText();
  }

  /**
   * The first frame after a reconnect with {@code ?since=}, which must be {@code wsRecovery} with
   * {@code recovered: true}; returns its count.
   */
  static int recovered(WsClient client) {
    JsonNode frame = client.next();
    assertThat(frame.path("event").asText()).as("frame %s", frame).isEqualTo("wsRecovery");
    assertThat(frame.at("/data/recovered").asBoolean()).as("frame %s", frame).isTrue();
    return frame.at("/data/count").asInt();
  }

  /** The first frame after a reconnect with {@code ?since=} must be exactly {@code recovered: false}. */
  static void notRecovered(WsClient client) {
    assertThat(client.next().toString()).isEqualTo("{\"event\":\"wsRecovery\",\"data\":{\"recovered\":false}}");
  }

  /** The epoch of a position: the part before ':'. */
  static String epoch(String seq) {
    return seq.substring(0, seq.indexOf(':'));
  }

  /** Positions of one epoch in the order they were given out: negative if {@code a} came before {@code b}. */
  static int compare(String a, String b) {
    assertThat(epoch(a)).isEqualTo(epoch(b));
    long[] x = offset(a);
    long[] y = offset(b);
    return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
  }

  private static long[] offset(String seq) {
    String offset = seq.substring(seq.indexOf(':') + 1);
    int dash = offset.indexOf('-');
    return new long[] { Long.parseLong(offset.substring(0, dash)), Long.parseLong(offset.substring(dash + 1)) };
  }

  /** The same position, {@code ahead} further along: one that was never given out (yet). */
  static String future(String seq, long ahead) {
    long[] offset = offset(seq);
    return epoch(seq) + ":" + (offset[0] + ahead) + "-" + offset[1];
  }
}
