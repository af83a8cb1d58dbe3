package dev.capws.websocket.internal.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.metrics.Traffic;

/**
 * The frames waiting for one client. Producers (broadcasts, replies) only enqueue and never wait for the network.
 * One batch is in flight at a time: everything that queued up while the previous batch was being written leaves
 * together, so a client that falls behind costs one system call for many frames instead of one per frame. A client
 * whose queue reaches the limit (in frames, or in bytes) cannot keep up: it is closed with 1013 instead of growing
 * memory or slowing anyone else; the byte limit counts the batch being written too. A single frame larger than the
 * byte limit still goes out when nothing else waits.
 * Pongs count like any frame, but at most one waits: a client that pings without reading cannot grow the queue.
 *
 * <p>States: idle (nothing in flight, nobody pumping), pumping (one thread in {@link #pump()}), waiting (a batch in
 * flight whose completion arrives later on another thread). Completions that arrive while the pumping thread is still
 * inside {@code send} are turned into a loop iteration, so a fast socket never deepens the stack.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final FrameSink sink;
  private final int limit;
  /**
   * The most bytes that may wait (frames are shared between recipients, but a slow client keeps them alive), the
   * batch being written included: a client whose writes are stuck holds at most this, not twice this.
   */
  private final long byteLimit;
  private long queuedBytes;
  /** Bytes of the batch handed to the sink and not yet written. */
  private long inFlightBytes;

  private final Traffic traffic;
  private final ArrayDeque<OutboundFrame> queue = new ArrayDeque<>(4);
  /** The answer to the latest ping, not yet handed to the sink; it leaves ahead of the queue. */
  private OutboundFrame pong;
  private boolean inFlight;
  private boolean pumping;
  private boolean completedWhilePumping;
  /** Takes no more frames (stopped, overflowed, or a send failed). */
  private boolean closed;
  /** Runs once everything queued has left (see {@link #whenDrained}). */
  private Runnable onDrained;

  /** An outbox whose traffic nobody counts (tests). */
  Outbox(FrameSink sink, int limit, long byteLimit) {
    this(sink, limit, byteLimit, new Traffic());
  }

  Outbox(FrameSink sink, int limit, long byteLimit, Traffic traffic) {
    this.sink = sink;
    this.limit = limit;
    this.byteLimit = byteLimit;
    this.traffic = traffic;
  }

  /** Queues a ping (it does not count against the limit: a full queue closes the connection anyway). */
  void offerPing(OutboundFrame ping) {
    boolean start;
    synchronized (this) {
      if (closed) {
        return;
      }
      queue.add(ping);
      start = startPumping();
    }
    if (start) {
      pump();
    }
  }

  /** Queues a frame; returns false if the connection is closed or was closed because its queue overflowed. */
  boolean offer(OutboundFrame frame) {
    return offer(List.of(frame));
  }

  /** Queues frames that leave together, with the same limits as one by one. */
  boolean offer(List<OutboundFrame> frames) {
    boolean overflow = false;
    boolean start = false;
    synchronized (this) {
      if (closed) {
        return false;
      }
      for (OutboundFrame frame : frames) {
        if (!fits(frame)) {
          overflow = true;
          break;
        }
        queue.add(frame);
        queuedBytes += frame.size();
        traffic.sent(frame.size());
      }
      start = !overflow && startPumping();
    }
    return started(overflow, start);
  }

  /**
   * Queues the answer to a ping in place of one still waiting (RFC 6455, 5.5.3: only the most recent ping needs an
   * answer); it counts against the limits like any frame and leaves ahead of the queue.
   */
  boolean offerPong(OutboundFrame answer) {
    boolean overflow;
    boolean start = false;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (pong != null) {
        queuedBytes -= pong.size();
        pong = null;
      }
      overflow = !fits(answer);
      if (!overflow) {
        pong = answer;
        queuedBytes += answer.size();
        start = startPumping();
      }
    }
    return started(overflow, start);
  }

  /** Whether the frame may join what waits; if not, the queue is closed and emptied. Caller holds the lock. */
  private boolean fits(OutboundFrame frame) {
    int waiting = queue.size() + (pong != null ? 1 : 0);
    if (waiting < limit && (waiting == 0 || queuedBytes + inFlightBytes + frame.size() <= byteLimit)) {
      return true;
    }
    closed = true;
    clear();
    return false;
  }

  private boolean started(boolean overflow, boolean start) {
    if (overflow) {
      traffic.slowConsumer();
      LOG.debug("Closing a client that fell {} frames behind", limit);
      sink.close(CloseCodes.TRY_AGAIN_LATER, "Client too slow: outbound queue full");
      return false;
    }
    if (start) {
      pump();
    }
    return true;
  }

  private void clear() {
    queue.clear();
    pong = null;
    queuedBytes = 0;
  }

  private boolean startPumping() {
    if (inFlight || pumping) {
      return false;
    }
    pumping = true;
    return true;
  }

  /** Runs the callback once every frame queued so far has left (at once if none is waiting). */
  void whenDrained(Runnable callback) {
    synchronized (this) {
      if (!closed && (!queue.isEmpty() || pong != null || inFlight || pumping)) {
        onDrained = callback;
        return;
      }
    }
    callback.run();
  }

  /**
   * Takes no more frames; those still queued are dropped. This is the queue's own state: the connection's close is
   * the {@link CloseHandshake}'s.
   */
  synchronized void stop() {
    closed = true;
    clear();
  }

  private void pump() {
    while (true) {
      List<OutboundFrame> batch = null;
      Runnable drained = null;
      synchronized (this) {
        if (!closed && (!queue.isEmpty() || pong != null)) {
          batch = new ArrayList<>(queue.size() + 1);
          if (pong != null) {
            batch.add(pong);
          }
          batch.addAll(queue);
          inFlightBytes = queuedBytes;
          clear();
          inFlight = true;
          completedWhilePumping = false;
        } else {
          pumping = false;
          inFlight = false;
          inFlightBytes = 0;
          drained = onDrained;
          onDrained = null;
        }
      }
      if (batch == null) {
        if (drained != null) {
          drained.run();
        }
        return;
      }
      sink.send(batch, this::onSent);
      synchronized (this) {
        if (!completedWhilePumping) {
          pumping = false;
          return; // the completion comes later and resumes
        }
      }
    }
  }

  private void onSent(Throwable failure) {
    if (failure != null) {
      synchronized (this) {
        closed = true;
        clear();
        inFlight = false;
        inFlightBytes = 0;
        completedWhilePumping = false;
      }
      LOG.debug("Sending to a client failed; closing it", failure);
      sink.close(CloseCodes.GOING_AWAY, "Send failed");
      return;
    }
    synchronized (this) {
      inFlightBytes = 0;
      if (pumping) {
        completedWhilePumping = true;
        return;
      }
      pumping = true;
    }
    pump();
  }
}
