package dev.capws.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.capws.websocket.test.ClientFrames;

/**
 * The calls of one loop's clients: each connection keeps P {@code message} calls in flight, the next one sent as soon
 * as the reply with that id is in; replies, error frames and latencies are counted here. Written by the loop's thread
 * only, published after every select round.
 */
final class CallPipeline implements Runnable {

  private static final byte[] ERROR_KEY = "\"error\":".getBytes(StandardCharsets.US_ASCII);

  /** The measured window and the end of the run, shared by the main thread and the loops. */
  static final class Window {
    volatile long measureFrom = Long.MAX_VALUE;
    volatile long measureTo = Long.MAX_VALUE;
    volatile boolean stopping;
  }

  final Histogram latencies = new Histogram();
  /** How calls and replies look on the wire (json protocol or Socket.IO). */
  private final CallFrames frames;
  /** The call being sent: built in place, no allocation per call. */
  private final byte[] frame;
  long calls;
  long errors;
  long errorsInAll;
  long unmatched;
  long other;
  long inFlight;
  long repliesInAll;
  long withoutId;
  String sample;
  String errorSample;
  volatile long publishedInFlight;
  volatile long publishedReplies;

  CallPipeline(CallFrames frames) {
    this.frames = frames;
    this.frame = new byte[frames.maxLength()];
  }

  @Override
  public void run() {
    publishedInFlight = inFlight;
    publishedReplies = repliesInAll;
  }

  /** Matches each reply to its call by id (a byte scan, no JSON parsing) and sends the next call in its slot. */
  static WsEngine.Handler handler(int pipeline, Window window) {
    return (loop, conn, a, offset, length, now) -> {
      CallPipeline s = (CallPipeline) loop.state;
      int end = offset + length;
      long id = s.frames.replyId(a, offset, end);
      boolean error = Bytes.indexOf(a, offset, end, ERROR_KEY) >= 0;
      if (error && s.errorSample == null) {
        s.errorSample = new String(a, offset, Math.min(length, 300), StandardCharsets.UTF_8);
      }
      int slot;
      if (conn.slotIds != null && id >= 0) {
        slot = (int) (id % pipeline);
        if (conn.slotIds[slot] != id) {
          s.unmatched++;
          return;
        }
      } else if (conn.slotIds != null && error && (slot = oldest(conn)) >= 0) {
        // An error frame without our id (the Java plugin's 429 has none): the connection's messages are
        // answered in order, so it belongs to the oldest call in flight.
        id = conn.slotIds[slot];
        s.withoutId++;
      } else {
        if (s.other++ == 0) {
          s.sample = new String(a, offset, Math.min(length, 300), StandardCharsets.UTF_8);
        }
        return;
      }
      conn.slotIds[slot] = -1;
      s.inFlight--;
      s.repliesInAll++;
      long sent = conn.sentAt[slot];
      if (error) {
        s.errorsInAll++;
      }
      if (sent >= window.measureFrom && now <= window.measureTo) {
        if (error) {
          s.errors++;
        } else {
          s.calls++;
          s.latencies.record(now - sent);
        }
      }
      if (!window.stopping) {
        call(loop, conn, slot, id + pipeline);
      }
    };
  }

  /** Sends the call with this id in this slot of the connection's pipeline. */
  static void call(Loop loop, Conn conn, int slot, long id) {
    CallPipeline s = (CallPipeline) loop.state;
    int n = s.frames.write(s.frame, id);
    conn.slotIds[slot] = id;
    conn.sentAt[slot] = System.nanoTime();
    s.inFlight++;
    try {
      loop.send(conn, ClientFrames.TEXT, s.frame, 0, n);
    } catch (IOException e) {
      s.inFlight--; // the connection is gone; the loop notices on its next read
    }
  }

  /** The slot of a connection's oldest call in flight, -1 if none is. */
  private static int oldest(Conn conn) {
    int oldest = -1;
    for (int slot = 0; slot < conn.slotIds.length; slot++) {
      if (conn.slotIds[slot] >= 0 && (oldest < 0 || conn.sentAt[slot] - conn.sentAt[oldest] < 0)) {
        oldest = slot;
      }
    }
    return oldest;
  }
}
