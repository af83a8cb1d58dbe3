package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/**
 * Tests of input that must not disturb anyone else: a bystander (carol) on the same service is connected before
 * each test and must still be served after it; the misbehaving client (alice) is a raw socket.
 */
abstract class WithBystander {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  WsClient bystander;

  @BeforeEach
  void connectBystander() {
    bystander = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"), basic("carol", "carol"));
  }

  @AfterEach
  void bystanderStillServed() {
    bystander.send(Map.of("event", "emitPing", "data", Map.of("text", "still here")));
    assertThat(bystander.next("ping").at("/data/text").asText()).isEqualTo("still here");
    bystander.close();
  }

  RawSocket raw() {
    return RawSocket.upgrade(port, "/ws/hook", basic("alice", "alice"));
  }
}
