package dev.capws.websocket.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FrameSink} on a {@code jakarta.websocket} session, with the container's non-blocking send. */
final class JakartaFrameSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(JakartaFrameSink.class);

  private static final Executor CLOSER = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "ws-close");
    thread.setDaemon(true);
    return thread;
  });

  private final Session session;

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

  @Override
  public void ping(Consumer<Throwable> onSent) {
    try {
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
      onSent.accept(null); // jakarta's ping has no completion callback: it is written or buffered at once
    } catch (IOException | RuntimeException e) {
      onSent.accept(e);
    }
  }

  /**
   * Closing writes a close frame with a blocking write, which can wait on a stalled client: run it aside so that the
   * caller (often the fan-out thread) never waits.
   */
  @Override
  public void close(int code, String reason) {
    if (session.isOpen()) {
      CLOSER.execute(() -> closeNow(code, reason));
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
