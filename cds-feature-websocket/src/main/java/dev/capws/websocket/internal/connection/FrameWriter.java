package dev.capws.websocket.internal.connection;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import dev.capws.websocket.internal.codec.OutboundFrame;

/**
 * Writes a connection's frames with the servlet container's non-blocking output. Frames are copied into the
 * container's socket buffer one after another and flushed once, so a batch usually leaves in one system call. When
 * the client does not read fast enough, the rest waits here and the container calls {@link #onWritePossible} once
 * the socket can take more; no thread ever waits for a client.
 *
 * <p>The writer exists from the moment the connection is registered, before the 101 goes out: what is sent until the
 * container hands the socket over ({@link #attach}) waits here and leaves then. Whether anything may still be written
 * is the {@link CloseHandshake}'s to say; the writer reports to it when our close frame has left or writing failed.
 *
 * <p>Writers: whoever sends (the fan-out thread, a request thread replying) and the container thread that reports
 * the socket writable again; one lock orders them. Callbacks run outside the lock.
 */
final class FrameWriter implements FrameSink, WriteListener {

  private final CloseHandshake handshake;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>(4);
  /** Null until the upgrade completes. */
  private ServletOutputStream out;
  private Consumer<Throwable> onBatchSent;
  private boolean unflushed;
  /** Whether our close frame is among the pending bytes (it is the last thing ever written). */
  private boolean closePending;
  private volatile long blockedSince;
  /** Told when writing resumes after the socket was full (see {@link #whenResumed}). */
  private volatile Runnable resumed;

  FrameWriter(CloseHandshake handshake) {
    this.handshake = handshake;
  }

  /** The container handed the socket over: what waited is written now. */
  void attach(ServletOutputStream stream) {
    // The listener first (the stream may not be used before it is set); the container may call
    // onWritePossible at once, which finds nothing to write until out is set below.
    stream.setWriteListener(this);
    synchronized (this) {
      out = stream;
    }
    drain();
  }

  @Override
  public void send(List<OutboundFrame> frames, Consumer<Throwable> onSent) {
    synchronized (this) {
      if (handshake.mayWrite()) {
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

  /** Queues the close frame after what is already being written; nothing is written after it. */
  @Override
  public void close(int code, String reason) {
    synchronized (this) {
      if (!handshake.closeQueued(code)) {
        return;
      }
      pending.add(OutboundFrame.close(code, reason).wire());
      closePending = true;
    }
    drain();
  }

  /** The connection is over: what still waits is dropped. */
  synchronized void release() {
    pending.clear();
  }

  @Override
  public long blockedSince() {
    return blockedSince;
  }

  /**
   * What runs when the client has read again after its socket was full: on whichever thread finds it writable (the
   * container's, or a sender's, the fan-out among them), so it may only hand work over.
   */
  void whenResumed(Runnable action) {
    this.resumed = action;
  }

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable failure) {
    fail(failure);
  }

  /** Writes what waits; tells {@link #whenResumed} if the socket was full before and all has left now. */
  private void drain() {
    Consumer<Throwable> batch;
    boolean closeLeft;
    boolean wasBlocked;
    Exception failure = null;
    synchronized (this) {
      if (out == null || handshake.state() == CloseHandshake.State.CLOSED) {
        return;
      }
      wasBlocked = blockedSince != 0;
      try {
        if (!writePending()) {
          return; // the container calls onWritePossible when the client has read some
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      if (failure == null) {
        blockedSince = 0;
        closeLeft = closePending;
        closePending = false;
        batch = onBatchSent;
        onBatchSent = null;
      } else {
        closeLeft = false;
        batch = null;
      }
    }
    if (failure != null) {
      fail(failure); // hands the batch its failure
      return;
    }
    if (batch != null) {
      batch.accept(null);
    }
    if (closeLeft) {
      handshake.closeWritten();
    }
    Runnable action = resumed;
    if (wasBlocked && action != null) {
      action.run();
    }
  }

  private void fail(Throwable failure) {
    Consumer<Throwable> batch;
    synchronized (this) {
      batch = onBatchSent;
      onBatchSent = null;
      pending.clear();
    }
    if (batch != null) {
      batch.accept(failure);
    }
    handshake.writeFailed();
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
