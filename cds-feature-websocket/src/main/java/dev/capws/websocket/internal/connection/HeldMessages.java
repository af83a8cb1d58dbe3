package dev.capws.websocket.internal.connection;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Read-side back-pressure: the messages of a client whose socket is full (it does not read what we write) wait here
 * instead of running, in the order they came, and run once it reads again. A call would only queue a reply that
 * cannot leave, and an event would make work for a client that takes none. Netty stops reading such a socket; the
 * Servlet API cannot pause reads on Tomcat (it calls back while bytes wait, which spins a thread), so the bytes are
 * read, and what they hold waits, up to {@link #MAX_CHARS}: a client that sends more without reading is closed.
 *
 * <p>Offered on the reading thread, released on the thread that finds the socket writable again or on the reading
 * thread; one runs them at a time, and a message that arrives while earlier ones run or wait waits behind them.
 */
final class HeldMessages {

  /** Characters that may wait per client: a few hundred calls, small beside what its outbound queue may hold. */
  static final int MAX_CHARS = 64 * 1024;

  enum Offer {
    /** Nothing waits and the socket takes writes: run it now. */
    RUN,
    /** It waits. */
    HELD,
    /** The client sent more than may wait without reading: close it. */
    FULL
  }

  private final ArrayDeque<String> held = new ArrayDeque<>();
  private int chars;
  private boolean releasing;

  synchronized Offer offer(String message, boolean socketFull) {
    if (!socketFull && !releasing && held.isEmpty()) {
      return Offer.RUN;
    }
    if (chars + message.length() > MAX_CHARS) {
      return Offer.FULL;
    }
    held.add(message);
    chars += message.length();
    return Offer.HELD;
  }

  /**
   * Runs the waiting messages in order while the socket takes writes (a message's reply may fill it again); returns
   * at once if another thread is at it.
   */
  void release(BooleanSupplier socketFull, Consumer<String> run) {
    synchronized (this) {
      if (releasing) {
        return;
      }
      releasing = true;
    }
    boolean done = false;
    try {
      while (true) {
        String next;
        synchronized (this) {
          if (held.isEmpty() || socketFull.getAsBoolean()) {
            releasing = false;
            done = true;
            return;
          }
          next = held.poll();
          chars -= next.length();
        }
        run.accept(next);
      }
    } finally {
      if (!done) {
        synchronized (this) {
          releasing = false;
        }
      }
    }
  }

  /** The connection is over: what waits is dropped. */
  synchronized void clear() {
    held.clear();
    chars = 0;
  }

  synchronized int waiting() {
    return held.size();
  }
}
