package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.RawSocket;

/**
 * Protocol-level input a client library would never send, at the byte level: each gets its RFC 6455 close code, and
 * a bystander on the same service keeps receiving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputTest extends WithBystander {

  @Test
  @DisplayName("Limits: an unmasked client frame closes with 1002")
  void unmasked() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, "{\"event\":\"whoAmI\",\"data\":{}}".getBytes(StandardCharsets.UTF_8), true, false);
      assertThat(raw.awaitCloseCode()).isEqualTo(1002);
    }
  }

  @Test
  @DisplayName("Limits: an unknown opcode closes with 1002")
  void unknownOpcode() {
    try (RawSocket raw = raw()) {
      raw.send(0x3, new byte[] { 1, 2, 3 }, true, true);
      assertThat(raw.awaitCloseCode()).isEqualTo(1002);
    }
  }

  @Test
  @DisplayName("Limits: a text frame with invalid UTF-8 closes with 1007")
  void invalidUtf8Text() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, new byte[] { '{', (byte) 0xC3, (byte) 0x28, '}' }, true, true);
      assertThat(raw.awaitCloseCode()).isEqualTo(1007);
    }
  }

  @Test
  @DisplayName("Limits: invalid UTF-8 in the first fragment of a message closes with 1007 at once, not at its end")
  void invalidUtf8InFragment() {
    try (RawSocket raw = raw()) {
      // the message never ends: only checking bytes as they come can find the fault (Autobahn 6.4.1)
      raw.send(RawSocket.TEXT, new byte[] { '{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, false, true);
      assertThat(raw.awaitCloseCode()).isEqualTo(1007);
    }
  }

  @Test
  @DisplayName("B1: after failing a connection (1007) the server reads the client's answering close and ends the "
      + "connection at once, not at the close timeout (5 s)")
  void closeAnswerAfterFailure() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, new byte[] { '{', (byte) 0xC0, '}' }, true, true);
      assertThat(raw.awaitCloseCode()).isEqualTo(1007);
      raw.send(RawSocket.CLOSE, new byte[] { 0x03, (byte) 0xEF }, true, true);
      assertThat(raw.awaitEnd(Duration.ofSeconds(3))).as("the server ended the connection").isTrue();
    }
  }

  @Test
  @DisplayName("Limits: a message declared larger than the limit closes with 1009 once the limit is passed")
  void declaredTooBig() {
    try (RawSocket raw = raw()) {
      // A 2 MiB masked text frame (mask 0 leaves the payload as it is), of which only a little over 1 MiB is sent:
      // the server never buffers more than the limit.
      raw.sendBytes(new byte[] { (byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0 });
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 17; i++) {
        raw.sendBytes(chunk);
      }
      assertThat(raw.awaitCloseCode()).isEqualTo(1009);
    }
  }

  @Test
  @DisplayName("O1: fragmented messages are reassembled; ping gets pong with the same payload")
  void fragmentsAndPing() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, "{\"event\":\"who".getBytes(StandardCharsets.UTF_8), false, true);
      raw.send(0x0, "AmI\",\"data\":{}}".getBytes(StandardCharsets.UTF_8), true, true);
      assertThat(raw.read().text()).isEqualTo("{\"event\":\"whoAmI\",\"data\":\"alice@t1\"}");
      raw.send(RawSocket.PING, new byte[] { 7, 8, 9 }, true, true);
      RawSocket.Frame pong = raw.read();
      assertThat(pong.opcode()).isEqualTo(RawSocket.PONG);
      assertThat(pong.payload()).containsExactly(7, 8, 9);
    }
  }

  @Test
  @DisplayName("Limits: the client's close code is echoed")
  void closeEcho() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.CLOSE, new byte[] { 0x0F, (byte) 0xA0, 'b', 'y', 'e' }, true, true); // 4000 "bye"
      assertThat(raw.awaitCloseCode()).isEqualTo(4000);
    }
  }

  @Test
  @DisplayName("Limits: a handshake the container refuses (no Sec-WebSocket-Key) leaves nothing registered")
  void brokenHandshake() throws Exception {
    WebSocketClients clients = WebSockets.clients(runtime);
    int before = clients.count();
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /ws/hook HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nAuthorization: "
          + basic("alice", "alice").get("Authorization") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
          .readLine();
      assertThat(status).doesNotContain(" 101 ");
    }
    assertThat(clients.count()).isEqualTo(before);
  }

  @Test
  @DisplayName("B2: a connection dropped in the middle of a message disturbs nobody and leaves nothing half done")
  void droppedMidMessage() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, "{\"event\":\"emitPing\",\"data\":{\"text\":\"half".getBytes(StandardCharsets.UTF_8),
          false, true);
    }
    // The half message never became a call: the bystander's next ping is its own (checked after each test).
  }
}
