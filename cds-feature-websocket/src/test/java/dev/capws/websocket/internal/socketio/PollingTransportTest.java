package dev.capws.websocket.internal.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.internal.codec.OutboundFrame;

/** C1: a long-polling session's switch to the socket of its upgrade, without a container. */
class PollingTransportTest {

  /** The upgraded socket's output: records what is written, always ready. */
  private static final class Socket extends ServletOutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WriteListener listener;

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      listener = writeListener;
    }

    @Override
    public void write(int b) {
      bytes.write(b);
    }

    /** The texts of the (unmasked, short) frames written so far. */
    List<String> texts() {
      byte[] wire = bytes.toByteArray();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < wire.length;) {
        int length = wire[i + 1] & 0x7F;
        texts.add(new String(wire, i + 2, length, StandardCharsets.UTF_8));
        i += 2 + length;
      }
      return texts;
    }
  }

  private static void write(PollingTransport transport, String text) throws Exception {
    byte[] wire = OutboundFrame.text(text).wire();
    transport.write(wire, 0, wire.length);
  }

  @Test
  @DisplayName("C1: until the switch only the probe answer goes over the socket; then what waited, then new frames, in order")
  void switchKeepsOrder() throws Exception {
    PollingTransport transport = new PollingTransport(1 << 20, 1000, () -> {});
    List<String> resumed = new ArrayList<>();
    transport.setWriteListener(new WriteListener() {
      @Override
      public void onWritePossible() {
        resumed.add("writable");
      }

      @Override
      public void onError(Throwable t) {
        resumed.add("error");
      }
    });
    write(transport, "42/ws/a,[\"e\",1]");
    Socket socket = new Socket();
    assertThat(transport.switchToSocket()).as("no switch before the probe").isFalse();
    assertThat(transport.socketArrived(socket)).isTrue();
    assertThat(transport.socketArrived(new Socket())).as("one upgrade at a time").isFalse();
    assertThat(transport.probe()).isTrue();
    write(transport, "42/ws/a,[\"e\",2]"); // the client is still on long-polling: this waits for it
    assertThat(socket.texts()).containsExactly("3probe");

    assertThat(transport.switchToSocket()).isTrue();
    write(transport, "42/ws/a,[\"e\",3]");
    transport.flush();
    assertThat(socket.texts()).containsExactly("3probe", "42/ws/a,[\"e\",1]", "42/ws/a,[\"e\",2]", "42/ws/a,[\"e\",3]");
    assertThat(transport.isReady()).isTrue();
    socket.listener.onWritePossible(); // the socket's readiness reaches the connection's writer
    assertThat(resumed).containsExactly("writable");
    assertThat(transport.switchToSocket()).as("once").isFalse();
  }

  @Test
  @DisplayName("C1: beyond its byte limit a long-polling transport is not ready: the writer stops and the outbox limits apply")
  void backpressure() throws Exception {
    PollingTransport transport = new PollingTransport(100, 1000, () -> {});
    assertThat(transport.isReady()).isTrue();
    write(transport, "4" + "x".repeat(60));
    assertThat(transport.isReady()).isTrue();
    write(transport, "4" + "x".repeat(60));
    assertThat(transport.isReady()).isFalse();
  }
}
