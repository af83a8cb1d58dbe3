package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.codec.OutboundFrame;
import dev.capws.websocket.internal.connection.CloseHandshake.State;

/** The non-blocking writer against a scripted servlet output stream. */
class FrameWriterTest {

  private final CloseHandshake handshake = new CloseHandshake();
  private final FrameWriter writer = new FrameWriter(handshake);
  private final ScriptedOutputStream stream = new ScriptedOutputStream();
  /** What the batch callbacks received: "ok" or the failure's message. */
  private final List<String> callbacks = new CopyOnWriteArrayList<>();
  private final List<Integer> closed = new CopyOnWriteArrayList<>();

  FrameWriterTest() {
    handshake.whenClosed(closed::add);
  }

  private static List<OutboundFrame> texts(String... texts) {
    List<OutboundFrame> frames = new ArrayList<>();
    for (String text : texts) {
      frames.add(OutboundFrame.text(text));
    }
    return frames;
  }

  private Consumer<Throwable> callback() {
    return failure -> callbacks.add(failure == null ? "ok" : failure.getMessage());
  }

  @Test
  @DisplayName("Frames sent before the socket is handed over wait, and leave on attach in order")
  void queuedBeforeAttach() {
    writer.send(List.of(OutboundFrame.text("a"), OutboundFrame.text("b"), OutboundFrame.pong("p".getBytes(
        StandardCharsets.UTF_8))), callback());
    assertThat(callbacks).isEmpty();
    assertThat(stream.events()).isEmpty();

    writer.attach(stream);
    assertThat(stream.listener()).as("the writer listens to the stream").isSameAs(writer);
    assertThat(stream.events()).containsExactly("text:a", "text:b", "pong:p", "flush");
    assertThat(callbacks).containsExactly("ok");
  }

  @Test
  @DisplayName("B2: a batch is written frame by frame and flushed once")
  void batchFlushedOnce() {
    writer.attach(stream);
    writer.send(texts("1", "2", "3"), callback());
    assertThat(stream.events()).containsExactly("text:1", "text:2", "text:3", "flush");
    assertThat(callbacks).containsExactly("ok");

    writer.send(texts("4"), callback());
    assertThat(stream.events()).endsWith("text:4", "flush");
    assertThat(callbacks).containsExactly("ok", "ok");
  }

  @Test
  @DisplayName("B2: when the socket cannot take more, the rest waits until onWritePossible; blockedSince shows it")
  void waitsUntilWritePossible() {
    writer.attach(stream);
    assertThat(writer.blockedSince()).isZero();
    stream.allow(1); // takes one frame, then is full
    long before = System.nanoTime();
    writer.send(texts("a", "b", "c"), callback());

    assertThat(stream.events()).containsExactly("text:a");
    assertThat(callbacks).as("the batch has not left yet").isEmpty();
    assertThat(writer.blockedSince()).isNotZero();
    assertThat(writer.blockedSince() - before).isNotNegative();

    stream.allow(1);
    writer.onWritePossible(); // the container: some was read
    assertThat(stream.events()).containsExactly("text:a", "text:b");
    assertThat(callbacks).isEmpty();
    assertThat(writer.blockedSince()).isNotZero();

    stream.ready(true);
    writer.onWritePossible();
    assertThat(stream.events()).containsExactly("text:a", "text:b", "text:c", "flush");
    assertThat(callbacks).containsExactly("ok");
    assertThat(writer.blockedSince()).as("reset once everything left").isZero();
  }

  @Test
  @DisplayName("B2: the flush itself waits for a ready socket")
  void flushWaitsToo() {
    writer.attach(stream);
    stream.allow(2);
    writer.send(texts("a", "b"), callback());
    assertThat(stream.events()).containsExactly("text:a", "text:b");
    assertThat(callbacks).isEmpty();
    assertThat(writer.blockedSince()).isNotZero();

    stream.ready(true);
    writer.onWritePossible();
    assertThat(stream.events()).containsExactly("text:a", "text:b", "flush");
    assertThat(callbacks).containsExactly("ok");
    assertThat(writer.blockedSince()).isZero();
  }

  @Test
  @DisplayName("The close frame is the last thing written, and its leaving reaches the handshake")
  void closeFrameLast() {
    writer.attach(stream);
    stream.ready(false);
    writer.send(texts("a", "b"), callback());
    writer.close(CloseCodes.GOING_AWAY, "bye");
    assertThat(handshake.state()).isEqualTo(State.CLOSING);

    writer.send(texts("late"), callback()); // after the close frame: refused at once
    writer.close(CloseCodes.NORMAL, "again"); // a second close frame is not queued
    assertThat(callbacks).containsExactly("Connection closed");

    stream.ready(true);
    writer.onWritePossible();
    assertThat(stream.events()).containsExactly("text:a", "text:b", "close:1001:bye", "flush");
    assertThat(handshake.state()).isEqualTo(State.CLOSE_SENT);
    assertThat(callbacks).containsExactly("Connection closed", "ok");
  }

  @Test
  @DisplayName("Once the close frame has left, sends fail their callback and nothing more is written")
  void nothingAfterTheCloseFrame() {
    writer.attach(stream);
    writer.close(CloseCodes.NORMAL, "done");
    assertThat(stream.events()).containsExactly("close:1000:done", "flush");
    assertThat(handshake.state()).isEqualTo(State.CLOSE_SENT);

    writer.send(texts("late"), callback());
    writer.onWritePossible();
    assertThat(callbacks).containsExactly("Connection closed");
    assertThat(stream.events()).containsExactly("close:1000:done", "flush");
  }

  @Test
  @DisplayName("The answer to the client's close completes the handshake once it has left")
  void answerToClientsClose() {
    writer.attach(stream);
    int answer = handshake.peerClosed(4000);
    writer.close(answer, "");
    assertThat(stream.events()).containsExactly("close:4000:", "flush");
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(closed).containsExactly(4000);
  }

  @Test
  @DisplayName("A write that throws fails the batch's callback and ends the handshake with 1006")
  void writeThrows() {
    writer.attach(stream);
    stream.failWith(new IOException("broken pipe"));
    writer.send(texts("a"), callback());
    assertThat(callbacks).containsExactly("broken pipe");
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(closed).containsExactly(CloseCodes.ABNORMAL);

    writer.send(texts("b"), callback());
    assertThat(callbacks).containsExactly("broken pipe", "Connection closed");
  }

  @Test
  @DisplayName("The container's onError fails the waiting batch and ends the handshake with 1006")
  void containerError() {
    writer.attach(stream);
    stream.ready(false);
    writer.send(texts("a"), callback());
    writer.onError(new IOException("reset by peer"));
    assertThat(callbacks).containsExactly("reset by peer");
    assertThat(closed).containsExactly(CloseCodes.ABNORMAL);

    stream.ready(true);
    writer.onWritePossible();
    assertThat(stream.events()).as("what waited is dropped").isEmpty();
  }

  @Test
  @DisplayName("Once the connection has ended (the client hung up), what waited is not written and sends fail")
  void nothingAfterTheEnd() {
    writer.attach(stream);
    stream.ready(false);
    writer.send(texts("a"), callback());
    handshake.hungUp();
    writer.release();
    stream.ready(true);
    writer.onWritePossible();
    writer.send(texts("b"), callback());
    writer.close(CloseCodes.NORMAL, "");
    assertThat(stream.events()).isEmpty();
    assertThat(callbacks).containsExactly("Connection closed");
    assertThat(closed).containsExactly(CloseCodes.ABNORMAL);
  }
}
