package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovery replay speed (our plugin with {@code cds.websocket.recovery.enabled=true}; the Node plugin has no
 * recovery): a client on --ws gets a first event and keeps its {@code seq}, then leaves; M creates (--events) go to
 * --http while a second client on --ws receives them live (once it has all of them, they are in the history the
 * replay reads); then a client connects to --reconnect-ws (default --ws) with {@code ?since=<seq>}, --rounds times
 * with the same position. Each round runs from just before the connect (TCP and upgrade) to the last recovered frame,
 * and checks the {@code wsRecovery} frame first ({@code recovered:true}, {@code count} M), then every missed event
 * once and in order. Reports the median round as events/s; --warmup W runs the same cycle with W events first,
 * unrecorded.
 */
final class RecoveryReplay implements Scenario {

  private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
  private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*\"([^\"]+)\"");

  private final Options options;
  private final int events;
  private final int warmup;
  private final int rounds;
  private final URI reconnect;

  RecoveryReplay(Options options) {
    this.options = options;
    this.events = options.intOption("--events", 1000);
    this.warmup = options.intOption("--warmup", 100);
    this.rounds = options.intOption("--rounds", 5);
    this.reconnect = URI.create(options.option("--reconnect-ws", options.ws.toString()));
    if (events < 1 || rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("--events and --rounds are at least 1, --warmup at least 0");
    }
    if (options.socketIo) {
      throw new IllegalArgumentException("recovery is plain WebSocket only: the ?since= recovery is not offered to "
          + "Socket.IO clients (docs/socket-io.md)");
    }
  }

  /** A message as the client got it, and when. */
  private record Frame(String text, long at) {
  }

  /** One connection's messages, queued for the main thread (a few thousand at most: no need to be frugal). */
  private static final class Inbox implements WsEngine.Handler {
    final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();

    @Override
    public void message(Loop loop, Conn conn, byte[] bytes, int offset, int length, long now) {
      frames.add(new Frame(new String(bytes, offset, length, StandardCharsets.UTF_8), now));
    }
  }

  /** What one reconnect got. */
  private static final class Round {
    boolean status;
    boolean recovered;
    long count = -1;
    int received;
    int duplicates;
    int outOfOrder;
    int beforeStatus;
    double seconds;
    double statusMs;
  }

  @Override
  public Result run() throws Exception {
    int total = (warmup > 0 ? 1 + warmup : 0) + 1 + events;
    OdataCreates creates = new OdataCreates(options, 1, new long[total], new long[total]);
    if (warmup > 0) {
      log("warm-up: a cycle with %d missed events, %d rounds", warmup, rounds);
      String seq = miss(creates, 0, warmup);
      for (int r = 0; r < rounds; r++) {
        replay(seq, 1, warmup);
      }
    }
    int seed = warmup > 0 ? 1 + warmup : 0;
    String seq = miss(creates, seed, events);
    log("measuring: %d rounds of a reconnect to %s that misses %d events", rounds, reconnect, events);
    List<Round> done = new ArrayList<>();
    MeasuredPhase phase = MeasuredPhase.start(options.pid);
    for (int r = 0; r < rounds; r++) {
      Round round = replay(seq, seed + 1, events);
      log("round %d: recovered=%s count=%d received=%d duplicates=%d out of order=%d in %.1f ms (status after %.1f ms)",
          r + 1, round.recovered, round.count, round.received, round.duplicates, round.outOfOrder,
          round.seconds * 1000, round.statusMs);
      done.add(round);
    }
    phase.end();

    double[] seconds = done.stream().mapToDouble(r -> r.seconds).sorted().toArray();
    double[] statusMs = done.stream().mapToDouble(r -> r.statusMs).sorted().toArray();
    boolean recovered = done.stream().allMatch(r -> r.recovered);
    long count = done.stream().mapToLong(r -> r.count).min().orElse(-1);
    int received = done.stream().mapToInt(r -> r.received).min().orElse(0);
    long missing = done.stream().mapToLong(r -> events - r.received).sum();
    long duplicates = done.stream().mapToLong(r -> r.duplicates).sum();
    long outOfOrder = done.stream().mapToLong(r -> r.outOfOrder + r.beforeStatus).sum();
    double median = seconds[seconds.length / 2];
    if (!recovered) {
      log("the server answered recovered:false: more missed events than half of cds.websocket.outbound-queue-limit "
          + "(or than the history keeps) are not replayed");
    }
    phase.logGeneratorCost((long) events * rounds, "replayed event", Proc.threadTicks());
    Result result = new Result("recovery").put("clients", 1).put("events", events).put("rounds", rounds)
        .put("recovered", recovered).put("count", count).put("received", received).put("missing", missing)
        .put("duplicates", duplicates).put("outOfOrder", outOfOrder)
        .put("replayMs", median * 1000).put("minReplayMs", seconds[0] * 1000)
        .put("maxReplayMs", seconds[seconds.length - 1] * 1000)
        .put("eventsPerSecond", received == 0 ? Double.NaN : events / median)
        .put("statusMs", statusMs[statusMs.length / 2])
        .put("cpuMicrosPerEvent", phase.serverMicros() / ((double) events * rounds))
        .shortfall(!recovered || count != events || missing != 0 || duplicates != 0 || outOfOrder != 0);
    String split = phase.byProcess((long) events * rounds, "event");
    return split == null ? result : result.put("cpuByProcess", split);
  }

  /**
   * A client gets event `seed` and leaves; events (seed, seed + n] are created while a witness listens; returns the
   * position the client kept.
   */
  private String miss(OdataCreates creates, int seed, int n) throws Exception {
    Inbox client = new Inbox();
    WsEngine clientEngine = connect(options.ws, client);
    Inbox witness = new Inbox();
    WsEngine witnessEngine = connect(options.ws, witness);
    creates.post(seed, seed + 1);
    String seq = null;
    long deadline = System.nanoTime() + options.silenceNanos;
    while (seq == null && System.nanoTime() < deadline) {
      Frame frame = client.frames.poll();
      if (frame == null) {
        LockSupport.parkNanos(1_000_000);
      } else if (eventOf(frame.text) == seed) {
        Matcher m = SEQ.matcher(frame.text);
        if (!m.find()) {
          clientEngine.shutdown(5000);
          witnessEngine.shutdown(5000);
          throw new SetupException("the event carries no \"seq\" (is cds.websocket.recovery.enabled on?): "
              + frame.text);
        }
        seq = m.group(1);
      }
    }
    clientEngine.shutdown(5000);
    if (seq == null) {
      witnessEngine.shutdown(5000);
      throw new SetupException("the first event did not arrive");
    }
    log("the client left at seq %s; %d creates while it is away", seq, n);
    creates.post(seed + 1, seed + 1 + n);
    BitSet live = new BitSet();
    long last = System.nanoTime();
    while (live.cardinality() < n && System.nanoTime() - last < options.silenceNanos) {
      Frame frame = witness.frames.poll();
      if (frame == null) {
        LockSupport.parkNanos(1_000_000);
        continue;
      }
      int e = eventOf(frame.text);
      if (e > seed && e <= seed + n) {
        live.set(e);
        last = System.nanoTime();
      }
    }
    witnessEngine.shutdown(5000);
    if (live.cardinality() < n) {
      log("the live client got only %d of %d events", live.cardinality(), n);
    }
    return seq;
  }

  /** Reconnects with ?since=seq and reads the status frame and the events [from, from + n). */
  private Round replay(String seq, int from, int n) throws Exception {
    String query = "since=" + URLEncoder.encode(seq, StandardCharsets.UTF_8);
    URI uri = URI.create(reconnect + (reconnect.getRawQuery() == null ? "?" : "&") + query);
    Inbox inbox = new Inbox();
    WsEngine engine = new WsEngine(uri, 1, inbox, options.handshakeTimeoutMillis);
    engine.start();
    long start = System.nanoTime();
    engine.connect(1, 1);
    if (engine.failed.get() > 0) {
      engine.shutdown(5000);
      throw new SetupException("the reconnect failed: " + engine.problems.peek());
    }
    Round round = new Round();
    BitSet seen = new BitSet();
    int highest = -1;
    long last = start;
    long lastSeen = System.nanoTime();
    while (round.received < n && System.nanoTime() - lastSeen < options.silenceNanos) {
      Frame frame = inbox.frames.poll();
      if (frame == null) {
        if (round.status && !round.recovered) {
          break; // nothing to wait for
        }
        LockSupport.parkNanos(200_000);
        continue;
      }
      lastSeen = System.nanoTime();
      if (!round.status && frame.text.contains("\"wsRecovery\"")) {
        round.status = true;
        round.recovered = frame.text.contains("\"recovered\":true");
        Matcher m = COUNT.matcher(frame.text);
        round.count = m.find() ? Long.parseLong(m.group(1)) : -1;
        round.statusMs = (frame.at - start) / 1e6;
        continue;
      }
      int e = eventOf(frame.text);
      if (e < from || e >= from + n) {
        continue; // no event of this cycle
      }
      if (!round.status) {
        round.beforeStatus++;
      }
      if (seen.get(e)) {
        round.duplicates++;
        continue;
      }
      seen.set(e);
      round.received++;
      if (e < highest) {
        round.outOfOrder++;
      }
      highest = Math.max(highest, e);
      last = frame.at;
    }
    round.seconds = (last - start) / 1e9;
    Clients.reportProblems(engine);
    engine.shutdown(5000);
    return round;
  }

  private WsEngine connect(URI uri, Inbox inbox) throws Exception {
    WsEngine engine = new WsEngine(uri, 1, inbox, options.handshakeTimeoutMillis);
    engine.start();
    Clients.connectAll(options, engine, 1);
    return engine;
  }

  /** The n of {@code "bench-<n>"} in a frame; -1 if there is none. */
  private static int eventOf(String text) {
    int at = text.indexOf("\"bench-");
    if (at < 0) {
      return -1;
    }
    int e = 0;
    int i = at + 7;
    int digits = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i)) && digits < 9) {
      e = e * 10 + (text.charAt(i++) - '0');
      digits++;
    }
    return digits == 0 ? -1 : e;
  }
}
