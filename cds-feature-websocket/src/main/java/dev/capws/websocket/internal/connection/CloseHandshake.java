package dev.capws.websocket.internal.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.CloseCodes;

/**
 * The close of one connection (RFC 6455, 7.1), the only place that holds its state: whether our close frame is
 * queued or written, whether the client's has arrived, with which codes, and when the connection is over. The reader,
 * the writer and the socket report what happened; this class decides. Once the connection is over, the listeners
 * run once, in the order they were added, outside any lock.
 *
 * <pre>
 * OPEN --our close queued--> CLOSING --written--> CLOSE_SENT --client's close--> CLOSED
 * OPEN --client's close--> PEER_CLOSED (our answer is queued at once) --written--> CLOSED
 * CLOSING --client's close--> PEER_CLOSED
 * any --socket gone, write failed, or no answer within the timeout--> CLOSED
 * </pre>
 *
 * A close of ours because the client broke the protocol is no different: the connection ends when the client
 * answers it, hangs up, or the timeout passes, never as soon as our close frame has left. Closing the socket while the
 * client may still be sending makes TCP reset the connection (unread bytes on close mean RST), and a reset can
 * destroy our close frame on the client's side before it has read why.
 */
public final class CloseHandshake {

  public enum State {
    OPEN,
    /** Our close frame waits to be written: nothing else is written after it. */
    CLOSING,
    /** Our close frame has left; we wait for the client's. */
    CLOSE_SENT,
    /** The client's close frame has arrived; our answer has not left yet. */
    PEER_CLOSED,
    CLOSED
  }

  private static final Logger LOG = LoggerFactory.getLogger(CloseHandshake.class);
  /** How long a client has to answer our close frame before its connection is dropped anyway. */
  static final long TIMEOUT_MILLIS = 5_000;
  /** Shared with the message deadline of {@link WebSocketUpgrade}: one timer thread for every connection. */
  static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "ws-close-timer");
    thread.setDaemon(true);
    return thread;
  });

  static {
    TIMER.setRemoveOnCancelPolicy(true); // a connection that ended is not kept alive by its timeout
  }

  private final long timeoutMillis;
  private State state = State.OPEN;
  private boolean peerStarted;
  private int peerCode;
  private int ourCode;
  private ScheduledFuture<?> timeout;
  /** The code the connection ended with; 0 while it is open. */
  private int outcome;
  private final List<IntConsumer> listeners = new ArrayList<>(2);

  public CloseHandshake() {
    this(TIMEOUT_MILLIS);
  }

  CloseHandshake(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  public synchronized State state() {
    return state;
  }

  /** Whether data frames may still be queued: not once a close frame is on its way, in either direction. */
  public synchronized boolean isOpen() {
    return state == State.OPEN;
  }

  /** Whether anything, a close frame included, may still be written. */
  synchronized boolean mayWrite() {
    return state != State.CLOSED && ourCode == 0;
  }

  /** The code of the close frame we queued or wrote, or 0. */
  synchronized int ourCode() {
    return ourCode;
  }

  /**
   * Our close frame with this code is about to be queued (by us, or as the answer to the client's). False if a close
   * frame was queued before or the connection is over: then nothing is queued.
   */
  synchronized boolean closeQueued(int code) {
    if (state == State.CLOSED || ourCode != 0) {
      return false;
    }
    ourCode = code;
    if (state == State.OPEN) {
      state = State.CLOSING;
    }
    // A client that neither reads our close frame nor answers it in time is dropped all the same.
    timeout = TIMER.schedule(() -> end(code), timeoutMillis, TimeUnit.MILLISECONDS);
    return true;
  }

  /** Our close frame has been written. */
  void closeWritten() {
    int code;
    synchronized (this) {
      if (state == State.CLOSING) {
        state = State.CLOSE_SENT;
        return;
      }
      if (state != State.PEER_CLOSED) {
        return;
      }
      code = result();
    }
    end(code); // the client's close has its answer: the handshake is complete
  }

  /**
   * The client's close frame arrived ({@code code} 1005 if it carried none).
   *
   * @return the code to answer with, or 0 if no answer is due (ours went out before, or the connection is over)
   */
  int peerClosed(int code) {
    synchronized (this) {
      if (state == State.CLOSED || state == State.PEER_CLOSED) {
        return 0;
      }
      peerCode = code;
      peerStarted = ourCode == 0;
      if (state != State.CLOSE_SENT) {
        state = State.PEER_CLOSED;
        // RFC 6455 asks to echo the client's code; "no code" is answered with a normal close.
        return peerStarted ? (code == CloseCodes.NO_STATUS ? CloseCodes.NORMAL : code) : 0;
      }
    }
    end(ourCode); // the answer to our close: the handshake is complete
    return 0;
  }

  /**
   * The socket is gone. After the client's close frame, its code stands (RFC 6455, 7.1.5: the connection's close code
   * is the one received); after ours alone, that counts as the answer; otherwise the end was abnormal.
   */
  void hungUp() {
    int code;
    synchronized (this) {
      code = state == State.PEER_CLOSED ? result() : ourCode != 0 && !peerStarted ? ourCode : CloseCodes.ABNORMAL;
    }
    end(code);
  }

  /** Writing failed: the client is unreachable. */
  void writeFailed() {
    end(CloseCodes.ABNORMAL);
  }

  /** Runs the task once the close timeout has passed, on the timer that ends unanswered closes. */
  static void afterTimeout(Runnable task) {
    TIMER.schedule(task, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Runs the listener once the connection is over, with its close code (at once if it is). */
  public void whenClosed(IntConsumer listener) {
    synchronized (this) {
      if (state != State.CLOSED) {
        listeners.add(listener);
        return;
      }
    }
    run(listener, outcome);
  }

  /** The code the hooks see: the client's if it started the close, else ours. */
  private int result() {
    return peerStarted ? peerCode : ourCode;
  }

  private void end(int code) {
    List<IntConsumer> toRun;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      outcome = code;
      toRun = List.copyOf(listeners);
      listeners.clear();
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
    toRun.forEach(listener -> run(listener, code));
  }

  private void run(IntConsumer listener, int code) {
    try {
      listener.accept(code);
    } catch (RuntimeException e) { // one listener must not keep the others from running
      LOG.warn("A close listener failed", e);
    }
  }
}
