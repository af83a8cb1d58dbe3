package dev.capws.websocket.transport;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * Writes a connection's frames with the servlet container's non-blocking output. Frames are copied into the
 * container's socket buffer one after another and flushed once, so a batch usually leaves in one system call. When
 * the client does not read fast enough, the rest waits here and the container calls {@link #onWritePossible} once
 * the socket can take more; no thread ever waits for a client.
 *
 * <p>Writers: whoever sends (the fan-out thread, a request thread replying) and the container thread that reports
 * the socket writable again; one lock orders them. Callbacks run outside the lock.
 */
final class FrameWriter implements FrameSink, WriteListener {

  /** What the connection does once its close frame has left, or once writing failed. */
  interface Events {
    /** A close frame with this code waits to be written; the client may never read it. */
    void closeRequested(int code);

    /** Our close frame, with this code, has left. */
    void closeSent(int code);

    void failed(Throwable failure);
  }

  private final ServletOutputStream out;
  private final Events events;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>(4);
  private Consumer<Throwable> onBatchSent;
  private boolean unflushed;
  private boolean closeQueued;
  private volatile int closeCode;
  private boolean closeSent;
  private boolean ended;
  private volatile long blockedSince;

  FrameWriter(ServletOutputStream out, Events events) {
    this.out = out;
    this.events = events;
  }

  @Override
  public void send(List<OutboundFrame> frames, Consumer<Throwable> onSent) {
    synchronized (this) {
      if (!ended && !closeQueued) {
        for (OutboundFrame frame : frames) {
          pending.add(frame.wire());
        }
        onBatchSent = onSent;
        onSent = null;
      }
    }
    if (onSent != null) {
      onSent.accept(new IOException("Connection closed"));
      return;
    }
    drain();
  }

  /** Answers a ping; a pong never waits for the outbox. */
  void pong(byte[] payload) {
    synchronized (this) {
      if (ended || closeQueued) {
        return;
      }
      pending.add(OutboundFrame.pong(payload));
    }
    drain();
  }

  /** Queues the close frame after what is already being written; nothing is written after it. */
  @Override
  public void close(int code, String reason) {
    synchronized (this) {
      if (ended || closeQueued) {
        return;
      }
      closeQueued = true;
      closeCode = code;
      pending.add(OutboundFrame.close(code, reason));
    }
    events.closeRequested(code);
    drain();
  }

  /** The code of the close frame queued or sent, or 0 if none. */
  int closeCode() {
    return closeCode;
  }

  /** The connection is gone: later sends fail at once. */
  synchronized void end() {
    ended = true;
    pending.clear();
  }

  @Override
  public long blockedSince() {
    return blockedSince;
  }

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable failure) {
    Consumer<Throwable> batch;
    synchronized (this) {
      batch = onBatchSent;
      onBatchSent = null;
      ended = true;
      pending.clear();
    }
    if (batch != null) {
      batch.accept(failure);
    }
    events.failed(failure);
  }

  private void drain() {
    Consumer<Throwable> batch;
    boolean closeLeft = false;
    Exception failure = null;
    synchronized (this) {
      if (ended) {
        return;
      }
      try {
        if (!writePending()) {
          return; // the container calls onWritePossible when the client has read some
        }
        blockedSince = 0;
        closeLeft = closeQueued && !closeSent;
        closeSent |= closeLeft;
      } catch (IOException | RuntimeException e) {
        failure = e;
        ended = true;
        pending.clear();
      }
      batch = onBatchSent;
      onBatchSent = null;
    }
    if (batch != null) {
      batch.accept(failure);
    }
    if (failure != null) {
      events.failed(failure);
    } else if (closeLeft) {
      events.closeSent(closeCode);
    }
  }

  /** Writes and flushes what waits; false if the socket cannot take more now. Caller holds the lock. */
  private boolean writePending() throws IOException {
    while (true) {
      if (!out.isReady()) {
        if (blockedSince == 0) {
          blockedSince = System.nanoTime();
        }
        return false;
      }
      byte[] next = pending.poll();
      if (next != null) {
        out.write(next);
        unflushed = true;
      } else if (unflushed) {
        unflushed = false;
        out.flush(); // one system call for everything written since the last flush
      } else {
        return true;
      }
    }
  }
}
