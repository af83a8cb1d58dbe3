package dev.capws.websocket.transport;

import java.util.function.Consumer;

/**
 * The sink of a connection that is registered before its session opens. A connection joins the registry while the
 * upgrade is answered, so that every event committed after the client got its 101 reaches it; what is sent before the
 * session opens waits here (the outbox keeps everything else, within its limit) and leaves once it does.
 */
final class DeferredSink implements FrameSink {

  private FrameSink target;
  private Runnable pending;
  private Runnable pendingClose;

  /** The session is open: what waited goes out now. */
  void attach(FrameSink sink) {
    Runnable send;
    Runnable close;
    synchronized (this) {
      target = sink;
      send = pending;
      close = pendingClose;
      pending = null;
      pendingClose = null;
    }
    if (send != null) {
      send.run();
    }
    if (close != null) {
      close.run();
    }
  }

  @Override
  public void send(String frame, Consumer<Throwable> onSent) {
    FrameSink sink;
    synchronized (this) {
      if (target == null) {
        pending = () -> target.send(frame, onSent); // the outbox has at most one frame in flight
        return;
      }
      sink = target;
    }
    sink.send(frame, onSent);
  }

  @Override
  public void ping(Consumer<Throwable> onSent) {
    FrameSink sink;
    synchronized (this) {
      if (target == null) {
        pending = () -> target.ping(onSent);
        return;
      }
      sink = target;
    }
    sink.ping(onSent);
  }

  @Override
  public void close(int code, String reason) {
    FrameSink sink;
    synchronized (this) {
      if (target == null) {
        pendingClose = () -> target.close(code, reason);
        return;
      }
      sink = target;
    }
    sink.close(code, reason);
  }
}
