package dev.capws.websocket.transport;

import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames waiting for one client. Producers (broadcasts, replies) only enqueue and never wait for the network;
 * exactly one frame is in flight at a time and its completion sends the next. A client whose queue reaches the limit
 * (in frames, or in characters) cannot keep up: it is closed with 1013 instead of growing memory or slowing anyone
 * else. A single frame larger than the character limit still goes out when nothing else waits.
 *
 * <p>States: idle (nothing in flight, nobody pumping), pumping (one thread in {@link #pump()}), waiting (a frame in
 * flight whose completion arrives later on another thread). Completions that arrive while the pumping thread is still
 * inside {@code send} are turned into a loop iteration, so a fast socket never deepens the stack.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final FrameSink sink;
  private final int limit;
  /** The most characters that may wait (frames are shared between recipients, but a slow client keeps them alive). */
  private final long charLimit;
  private long queuedChars;
  /** Stands for a ping in the queue: pings wait their turn like frames, so that only one write is ever in flight. */
  private static final Object PING = new Object();

  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean pumping;
  private boolean completedWhilePumping;
  private boolean closed;
  /** Runs once everything queued has left (see {@link #whenDrained}). */
  private Runnable onDrained;

  Outbox(FrameSink sink, int limit, long charLimit) {
    this.sink = sink;
    this.limit = limit;
    this.charLimit = charLimit;
  }

  /** Queues a ping (it does not count against the limit: a full queue closes the connection anyway). */
  void offerPing() {
    boolean start = false;
    synchronized (this) {
      if (closed) {
        return;
      }
      queue.add(PING);
      if (!inFlight && !pumping) {
        pumping = true;
        start = true;
      }
    }
    if (start) {
      pump();
    }
  }

  /** Queues a frame; returns false if the connection is closed or was closed because its queue overflowed. */
  boolean offer(String frame) {
    boolean overflow = false;
    boolean start = false;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (queue.size() >= limit || queuedChars + frame.length() > charLimit && !queue.isEmpty()) {
        closed = true;
        queue.clear();
        queuedChars = 0;
        overflow = true;
      } else {
        queue.add(frame);
        queuedChars += frame.length();
        if (!inFlight && !pumping) {
          pumping = true;
          start = true;
        }
      }
    }
    if (overflow) {
      LOG.debug("Closing a client that fell {} frames behind", limit);
      sink.close(CloseCodes.TRY_AGAIN_LATER, "Client too slow: outbound queue full");
      return false;
    }
    if (start) {
      pump();
    }
    return true;
  }

  /** Runs the callback once every frame queued so far has left (at once if none is waiting). */
  void whenDrained(Runnable callback) {
    synchronized (this) {
      if (!closed && (!queue.isEmpty() || inFlight || pumping)) {
        onDrained = callback;
        return;
      }
    }
    callback.run();
  }

  /** Stops sending; frames still queued are dropped because their connection is gone. */
  synchronized void close() {
    closed = true;
    queue.clear();
    queuedChars = 0;
  }

  synchronized int size() {
    return queue.size();
  }

  private void pump() {
    while (true) {
      Object next;
      Runnable drained = null;
      synchronized (this) {
        next = closed ? null : queue.poll();
        if (next instanceof String text) {
          queuedChars -= text.length();
        }
        if (next == null) {
          pumping = false;
          inFlight = false;
          drained = onDrained;
          onDrained = null;
        } else {
          inFlight = true;
          completedWhilePumping = false;
        }
      }
      if (next == null) {
        if (drained != null) {
          drained.run();
        }
        return;
      }
      if (next == PING) {
        sink.ping(this::onSent);
      } else {
        sink.send((String) next, this::onSent);
      }
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
        queue.clear();
        queuedChars = 0;
        inFlight = false;
        completedWhilePumping = false;
      }
      LOG.debug("Sending to a client failed; closing it", failure);
      sink.close(CloseCodes.GOING_AWAY, "Send failed");
      return;
    }
    synchronized (this) {
      if (pumping) {
        completedWhilePumping = true;
        return;
      }
      pumping = true;
    }
    pump();
  }
}
