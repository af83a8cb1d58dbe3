package dev.capws.websocket.internal.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** C1: Socket.IO 5 packets as the official client writes them, and as the server writes its own. */
class SocketIoPacketTest {

  @Test
  @DisplayName("C1: connect, event, acknowledged event and disconnect, with and without a namespace")
  void reads() {
    SocketIoPacket connect = SocketIoPacket.parse("0/ws/chat,");
    assertThat(connect.type()).isEqualTo(SocketIoPacket.CONNECT);
    assertThat(connect.namespace()).isEqualTo("/ws/chat");
    assertThat(connect.payload()).isNull();
    assertThat(SocketIoPacket.parse("0/ws/chat,{\"token\":\"t\"}").payload().get("token").asText()).isEqualTo("t");

    SocketIoPacket event = SocketIoPacket.parse("2/ws/chat,12[\"message\",{\"text\":\"hi\"},{\"h\":1}]");
    assertThat(event.event()).isEqualTo("message");
    assertThat(event.data()).hasToString("{\"text\":\"hi\"}");
    assertThat(event.ackId()).isEqualTo(12);
    assertThat(event.wantsAck()).isTrue();

    SocketIoPacket main = SocketIoPacket.parse("2[\"x\"]");
    assertThat(main.namespace()).isEqualTo("/");
    assertThat(main.data()).isNull();
    assertThat(main.wantsAck()).isFalse();

    assertThat(SocketIoPacket.parse("1/ws/chat,").type()).isEqualTo(SocketIoPacket.DISCONNECT);
    assertThat(SocketIoPacket.parse("3/ws/chat,4[]").ackId()).isEqualTo(4);
  }

  @ParameterizedTest(name = "C1: refused as the Socket.IO parser refuses it: \"{0}\"")
  @ValueSource(strings = { "", "9", "x", "2/ws/chat,", "2/ws/chat,{}", "2/ws/chat,[]", "2/ws/chat,[1]",
      "2/ws/chat,[\"a\"", "0/ws/chat,[1]", "1/ws/chat,{}", "4/ws/chat,{}", "51-/ws/chat,[\"a\",{}]",
      "2/ws/chat,1234567890123456[\"a\"]" })
  void refuses(String text) {
    assertThatThrownBy(() -> SocketIoPacket.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("C1: what the server writes: open, connected, connect error, event, ack")
  void writes() {
    assertThat(SocketIoWire.open("abc", true, 25000, 20000, 1000000)).isEqualTo(
        "0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    assertThat(SocketIoWire.connected("/ws/chat", "s1")).isEqualTo("40/ws/chat,{\"sid\":\"s1\"}");
    assertThat(SocketIoWire.connectError("/ws/nope", "Invalid namespace"))
        .isEqualTo("44/ws/nope,{\"message\":\"Invalid namespace\"}");
    assertThat(SocketIoWire.event("/ws/chat", "received", "{\"text\":\"hi\"}"))
        .isEqualTo("42/ws/chat,[\"received\",{\"text\":\"hi\"}]");
    assertThat(SocketIoWire.event("/", "e\"q", "null")).isEqualTo("42[\"e\\\"q\",null]");
    assertThat(SocketIoWire.ack("/ws/chat", 3, Arrays.asList((Object) null))).isEqualTo("43/ws/chat,3[null]");
    assertThat(SocketIoWire.ack("/ws/chat", 4, List.of(Map.of("error", Map.of("code", "400")))))
        .isEqualTo("43/ws/chat,4[{\"error\":{\"code\":\"400\"}}]");
  }
}
