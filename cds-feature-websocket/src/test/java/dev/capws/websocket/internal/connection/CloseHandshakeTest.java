package dev.capws.websocket.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.codec.CloseCodes;
import dev.capws.websocket.internal.connection.CloseHandshake.State;

/** The close state machine of one connection (RFC 6455, 7.1), every transition of its diagram. */
class CloseHandshakeTest {

  /** Records the codes the listeners see. */
  private static List<Integer> outcomes(CloseHandshake handshake) {
    List<Integer> codes = new CopyOnWriteArrayList<>();
    handshake.whenClosed(codes::add);
    return codes;
  }

  @Test
  @DisplayName("We close first: OPEN -> CLOSING -> CLOSE_SENT -> CLOSED when the client answers, with our code")
  void weCloseFirst() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    assertThat(handshake.state()).isEqualTo(State.OPEN);
    assertThat(handshake.isOpen()).isTrue();
    assertThat(handshake.mayWrite()).isTrue();

    assertThat(handshake.closeQueued(4000)).isTrue();
    assertThat(handshake.state()).isEqualTo(State.CLOSING);
    assertThat(handshake.isOpen()).isFalse();
    assertThat(handshake.ourCode()).isEqualTo(4000);

    handshake.closeWritten();
    assertThat(handshake.state()).isEqualTo(State.CLOSE_SENT);
    assertThat(codes).isEmpty();

    assertThat(handshake.peerClosed(CloseCodes.NORMAL)).as("no answer is due to an answer").isZero();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(codes).containsExactly(4000); // our code, whatever the client answered with
  }

  @Test
  @DisplayName("The client closes first: its code is echoed, and the end, once our answer left, carries its code")
  void clientClosesFirst() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);

    assertThat(handshake.peerClosed(4001)).isEqualTo(4001);
    assertThat(handshake.state()).isEqualTo(State.PEER_CLOSED);
    assertThat(handshake.isOpen()).isFalse();
    assertThat(handshake.mayWrite()).as("our answer may still be written").isTrue();

    assertThat(handshake.closeQueued(4001)).isTrue();
    assertThat(handshake.state()).isEqualTo(State.PEER_CLOSED);
    assertThat(codes).isEmpty();

    handshake.closeWritten();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(codes).containsExactly(4001);
  }

  @Test
  @DisplayName("A client close without a code (1005) is answered with 1000; the listeners see 1005")
  void noStatusAnsweredWithNormal() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);

    assertThat(handshake.peerClosed(CloseCodes.NO_STATUS)).isEqualTo(CloseCodes.NORMAL);
    assertThat(handshake.closeQueued(CloseCodes.NORMAL)).isTrue();
    handshake.closeWritten();
    assertThat(codes).containsExactly(CloseCodes.NO_STATUS);
  }

  @Test
  @DisplayName("The client's close while ours is queued but not written: no second answer, ends with our code")
  void clientClosesWhileOursIsQueued() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);

    assertThat(handshake.closeQueued(CloseCodes.GOING_AWAY)).isTrue();
    assertThat(handshake.peerClosed(CloseCodes.NORMAL)).as("our queued close is the answer").isZero();
    assertThat(handshake.state()).isEqualTo(State.PEER_CLOSED);
    assertThat(codes).isEmpty();

    handshake.closeWritten();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(codes).containsExactly(CloseCodes.GOING_AWAY);
  }

  @Test
  @DisplayName("A hang-up before any close frame ends the connection with 1006")
  void hangUpWhileOpen() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.hungUp();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(codes).containsExactly(CloseCodes.ABNORMAL);
  }

  @Test
  @DisplayName("A hang-up after our close frame left counts as the answer: our code")
  void hangUpAfterOurClose() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.closeQueued(CloseCodes.POLICY_VIOLATION);
    handshake.closeWritten();
    handshake.hungUp();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(codes).containsExactly(CloseCodes.POLICY_VIOLATION);
  }

  @Test
  @DisplayName("A hang-up while our close frame is still queued: our code too")
  void hangUpWhileOurCloseIsQueued() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.closeQueued(CloseCodes.TRY_AGAIN_LATER);
    handshake.hungUp();
    assertThat(codes).containsExactly(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  @DisplayName("A hang-up after the client's close frame (our answer not yet written) ends with the client's code")
  void hangUpAfterClientsClose() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.closeQueued(handshake.peerClosed(4002));
    handshake.hungUp();
    assertThat(codes).containsExactly(4002);
  }

  @Test
  @DisplayName("A failed write ends the connection with 1006, also during the close handshake")
  void writeFailed() {
    CloseHandshake open = new CloseHandshake();
    List<Integer> openCodes = outcomes(open);
    open.writeFailed();
    assertThat(open.state()).isEqualTo(State.CLOSED);
    assertThat(openCodes).containsExactly(CloseCodes.ABNORMAL);

    CloseHandshake closing = new CloseHandshake();
    List<Integer> closingCodes = outcomes(closing);
    closing.closeQueued(CloseCodes.NORMAL);
    closing.writeFailed();
    assertThat(closingCodes).containsExactly(CloseCodes.ABNORMAL);
  }

  @Test
  @DisplayName("After a protocol failure our close frame leaves and the client's close reply is still awaited: it "
      + "ends the connection with our code")
  void protocolFailureAwaitsTheReply() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.closeQueued(CloseCodes.PROTOCOL_ERROR);
    handshake.closeWritten();
    assertThat(handshake.state()).isEqualTo(State.CLOSE_SENT);
    assertThat(codes).as("not ended under a client that may still be sending").isEmpty();
    assertThat(handshake.peerClosed(CloseCodes.NORMAL)).as("no second answer").isZero();
    assertThat(codes).containsExactly(CloseCodes.PROTOCOL_ERROR);
  }

  @Test
  @DisplayName("After a protocol failure a client that hangs up instead of answering ends it with our code")
  void protocolFailureThenHangUp() {
    CloseHandshake handshake = new CloseHandshake();
    List<Integer> codes = outcomes(handshake);
    handshake.closeQueued(CloseCodes.INVALID_PAYLOAD);
    handshake.closeWritten();
    handshake.hungUp();
    assertThat(codes).containsExactly(CloseCodes.INVALID_PAYLOAD);
  }

  @Test
  @DisplayName("A client that never answers our close frame is dropped by the timeout, with our code")
  void timeoutEndsAnUnansweredClose() throws InterruptedException {
    CloseHandshake handshake = new CloseHandshake(50);
    CountDownLatch ended = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger();
    handshake.whenClosed(c -> {
      code.set(c);
      ended.countDown();
    });
    handshake.closeQueued(CloseCodes.GOING_AWAY);
    handshake.closeWritten();
    assertThat(ended.await(5, TimeUnit.SECONDS)).as("the timeout ended the handshake").isTrue();
    assertThat(handshake.state()).isEqualTo(State.CLOSED);
    assertThat(code.get()).isEqualTo(CloseCodes.GOING_AWAY);
  }

  @Test
  @DisplayName("The timeout also ends a close frame that never leaves (a client that does not read)")
  void timeoutEndsACloseNeverWritten() throws InterruptedException {
    CloseHandshake handshake = new CloseHandshake(50);
    CountDownLatch ended = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger();
    handshake.whenClosed(c -> {
      code.set(c);
      ended.countDown();
    });
    handshake.closeQueued(CloseCodes.TRY_AGAIN_LATER);
    assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(code.get()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
  }

  @Test
  @DisplayName("Listeners run exactly once, in the order they were added, even if one fails")
  void listenersRunOnceInOrder() {
    CloseHandshake handshake = new CloseHandshake();
    List<String> calls = new CopyOnWriteArrayList<>();
    handshake.whenClosed(code -> calls.add("first:" + code));
    handshake.whenClosed(code -> {
      calls.add("failing:" + code);
      throw new IllegalStateException("a listener that fails");
    });
    handshake.whenClosed(code -> calls.add("third:" + code));

    handshake.closeQueued(CloseCodes.NORMAL);
    handshake.closeWritten();
    handshake.peerClosed(CloseCodes.NORMAL);
    // everything that could end it again does nothing
    handshake.hungUp();
    handshake.writeFailed();
    handshake.closeWritten();

    assertThat(calls).containsExactly("first:1000", "failing:1000", "third:1000");
  }

  @Test
  @DisplayName("A listener added after the end runs at once with the code the connection ended with")
  void listenerAfterTheEnd() {
    CloseHandshake handshake = new CloseHandshake();
    handshake.closeQueued(4005);
    handshake.closeWritten();
    handshake.peerClosed(CloseCodes.NORMAL);
    List<Integer> late = new CopyOnWriteArrayList<>();
    handshake.whenClosed(late::add);
    assertThat(late).containsExactly(4005);
  }

  @Test
  @DisplayName("A second close frame is refused: mayWrite turns false and closeQueued keeps the first code")
  void secondCloseRefused() {
    CloseHandshake handshake = new CloseHandshake();
    assertThat(handshake.closeQueued(CloseCodes.NORMAL)).isTrue();
    assertThat(handshake.mayWrite()).isFalse();
    assertThat(handshake.closeQueued(CloseCodes.GOING_AWAY)).isFalse();
    assertThat(handshake.ourCode()).isEqualTo(CloseCodes.NORMAL);

    CloseHandshake answering = new CloseHandshake();
    int answer = answering.peerClosed(4003);
    assertThat(answering.closeQueued(answer)).isTrue();
    assertThat(answering.mayWrite()).isFalse();
    assertThat(answering.closeQueued(CloseCodes.NORMAL)).isFalse();
    assertThat(answering.peerClosed(CloseCodes.NORMAL)).as("a second client close is not answered").isZero();
  }

  @Test
  @DisplayName("Once closed, nothing may be written and no close frame is queued or answered")
  void nothingAfterTheEnd() {
    CloseHandshake handshake = new CloseHandshake();
    handshake.hungUp();
    assertThat(handshake.mayWrite()).isFalse();
    assertThat(handshake.isOpen()).isFalse();
    assertThat(handshake.closeQueued(CloseCodes.NORMAL)).isFalse();
    assertThat(handshake.peerClosed(CloseCodes.NORMAL)).isZero();
    assertThat(handshake.ourCode()).isZero();
  }
}
