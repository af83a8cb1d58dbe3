package dev.capws.bench;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out's events as the clients of one loop received them: per event the first and last arrival and how many
 * clients got it, plus duplicates and frames that are no event of this run. Written by the loop's thread only and
 * published after every select round, so the counting takes no lock and no volatile write per frame.
 */
final class EventReceipts implements Runnable {

  private static final byte[] MARKER = "\"bench-".getBytes(StandardCharsets.US_ASCII);

  final long[] first;
  final long[] last;
  final int[] count;
  /** Events before this one are the warm-up: their duplicates are not reported. */
  final int measuredFrom;
  long received;
  long duplicates;
  long measuredDuplicates;
  long stray;
  long other;
  long lastArrival;
  volatile long publishedReceived;
  volatile long publishedLastArrival;

  EventReceipts(int events, int measuredFrom) {
    first = new long[events];
    last = new long[events];
    count = new int[events];
    this.measuredFrom = measuredFrom;
  }

  @Override
  public void run() {
    publishedReceived = received;
    publishedLastArrival = lastArrival;
  }

  /**
   * Counts each frame for its event, found by the number after the marker ({@code "value":"bench-<n>"} echoed by the
   * server's notification): a byte scan, no JSON parsing. A bitset per client tells duplicates apart.
   */
  static WsEngine.Handler handler(int total) {
    return new WsEngine.Handler() {
      @Override
      public void opened(Loop loop, Conn conn, long now) {
        conn.attachment = new BitSet(total);
      }

      @Override
      public void message(Loop loop, Conn conn, byte[] a, int offset, int length, long now) {
        EventReceipts s = (EventReceipts) loop.state;
        int end = offset + length;
        int at = Bytes.indexOf(a, offset, end, MARKER);
        if (at < 0) {
          s.other++;
          return;
        }
        int i = at + MARKER.length;
        int e = 0;
        int digits = 0;
        while (i < end && a[i] >= '0' && a[i] <= '9' && digits < 10) {
          e = e * 10 + (a[i++] - '0');
          digits++;
        }
        if (digits == 0 || e >= total) {
          s.stray++;
          return;
        }
        BitSet seen = (BitSet) conn.attachment;
        if (seen.get(e)) {
          s.duplicates++;
          if (e >= s.measuredFrom) {
            s.measuredDuplicates++;
          }
          return;
        }
        seen.set(e);
        if (s.count[e]++ == 0) {
          s.first[e] = now;
        }
        s.last[e] = now;
        s.received++;
        s.lastArrival = now;
      }
    };
  }

  /** Waits until `expected` frames arrived, or none arrived for silenceNanos; true if all arrived. */
  static boolean await(WsEngine engine, long expected, long silenceNanos) {
    long waitStart = System.nanoTime();
    while (true) {
      long received = received(engine);
      if (received >= expected) {
        return true;
      }
      long lastArrival = waitStart;
      for (Loop loop : engine.loops) {
        lastArrival = Math.max(lastArrival, ((EventReceipts) loop.state).publishedLastArrival);
      }
      if (System.nanoTime() - lastArrival > silenceNanos) {
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Frames received by all loops' clients, as last published. */
  static long received(WsEngine engine) {
    long received = 0;
    for (Loop loop : engine.loops) {
      received += ((EventReceipts) loop.state).publishedReceived;
    }
    return received;
  }
}
