package dev.capws.websocket.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FrameSink} on a {@code jakarta.websocket} session, with the container's non-blocking send. */
final class JakartaFrameSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(JakartaFrameSink.class);

  /**
   * Closes and pings are blocking writes in jakarta.websocket (bounded by 5 s per session): a few threads aside do
   * them, so that neither the fan-out nor the heartbeat ever waits on a client.
   */
  private static final Executor BLOCKING = Executors.newFixedThreadPool(4, runnable -> {
    Thread thread = new Thread(runnable, "ws-blocking-write");
    thread.setDaemon(true);
    return thread;
  });

  private final Session session;
  private final AtomicBoolean closing = new AtomicBoolean();

  JakartaFrameSink(Session session) {
    this.session = session;
  }

  @Override
  public void send(String frame, Consumer<Throwable> onSent) {
    try {
      session.getAsyncRemote().sendText(frame, result -> onSent.accept(result.isOK() ? null : result.getException()));
    } catch (RuntimeException e) { // the session closed under us
      onSent.accept(e);
    }
  }

  /** jakarta's ping has no completion callback and blocks while it writes: it is written aside. */
  @Override
  public void ping(Consumer<Throwable> onSent) {
    BLOCKING.execute(() -> {
      try {
        session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        onSent.accept(null);
      } catch (IOException | RuntimeException e) {
        onSent.accept(e);
      }
    });
  }

  /**
   * Closing writes a close frame with a blocking write, which can wait on a stalled client: run it aside so that the
   * caller (often the fan-out thread) never waits.
   */
  @Override
  public void close(int code, String reason) {
    if (session.isOpen() && closing.compareAndSet(false, true)) {
      BLOCKING.execute(() -> closeNow(code, reason));
    }
  }

  private void closeNow(int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing {} failed", session.getId(), e);
    }
  }
}
