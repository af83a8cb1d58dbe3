package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.capws.websocket.test.ClientFrames;
import dev.capws.websocket.test.RawSocket;
import dev.capws.websocket.test.WsClient;

/**
 * One container thread for everything, and a client that streams frames faster than the server reads them: a read
 * callback that read for as long as bytes wait would keep that thread for good.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "server.tomcat.threads.max=1", "server.tomcat.threads.min-spare=1",
    "cds.websocket.max-messages-per-second=0" })
class ReadBudgetTest {

  @LocalServerPort
  int port;

  @Test
  @DisplayName("Limits: a client streaming without pause does not hold the only container thread; others are served")
  void streamingClient() throws InterruptedException {
    try (WsClient bystander = WsClient.connect(URI.create("ws://localhost:" + port + "/ws/hook"),
        basic("carol", "carol"));
        RawSocket streamer = RawSocket.upgrade(port, "/ws/hook", basic("alice", "alice"))) {
      // Calls, as fast as the socket takes them, their answers read and dropped: each runs an operation, so the
      // client outpaces the server by far and bytes always wait.
      byte[] call = ClientFrames.masked(RawSocket.TEXT,
          "{\"event\":\"whoAmI\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
      byte[] burst = new byte[call.length * 10_000];
      for (int at = 0; at < burst.length; at += call.length) {
        System.arraycopy(call, 0, burst, at, call.length);
      }
      AtomicBoolean streaming = new AtomicBoolean(true);
      CountDownLatch started = new CountDownLatch(1);
      Thread drain = new Thread(() -> {
        try {
          while (true) {
            streamer.readAny();
          }
        } catch (RuntimeException e) { // closed: the test is over
        }
      }, "drain");
      drain.start();
      Thread thread = new Thread(() -> {
        try {
          while (streaming.get()) {
            streamer.sendBytes(burst);
            started.countDown();
          }
        } catch (RuntimeException e) { // the socket closed under it: the test is over
          started.countDown();
        }
      }, "streamer");
      thread.start();
      try {
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
          long start = System.nanoTime();
          bystander.send(Map.of("event", "whoAmI", "data", Map.of()));
          assertThat(bystander.next("whoAmI").get("data").asText()).isEqualTo("carol@t1");
          assertThat((System.nanoTime() - start) / 1_000_000).as("ms for an answer").isLessThan(2_000);
        }
      } finally {
        streaming.set(false);
        streamer.close();
        thread.join(10_000);
        drain.join(10_000);
      }
    }
  }
}
