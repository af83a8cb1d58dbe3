package dev.capws.websocket.transport;

import java.util.List;
import java.util.function.Consumer;

/**
 * The sink of a connection that is registered before its socket is handed over. A connection joins the registry
 * while the upgrade is answered, so that every event committed after the client got its 101 reaches it; what is sent
 * before the upgrade completes waits here (the outbox keeps everything else, within its limit) and leaves once it
 * does.
 */
final class DeferredSink implements FrameSink {

  private FrameSink target;
  private Runnable pending;
  private Runnable pendingClose;

  /** The upgrade completed: what waited goes out now. */
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
  public void send(List<OutboundFrame> frames, Consumer<Throwable> onSent) {
    FrameSink sink;
    synchronized (this) {
      if (target == null) {
        pending = () -> target.send(frames, onSent); // the outbox has at most one batch in flight
        return;
      }
      sink = target;
    }
    sink.send(frames, onSent);
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

  @Override
  public long blockedSince() {
    FrameSink sink;
    synchronized (this) {
      sink = target;
    }
    return sink == null ? 0 : sink.blockedSince();
  }
}
