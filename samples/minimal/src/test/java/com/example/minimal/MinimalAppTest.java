package com.example.minimal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The minimal app as its README describes it, with nothing but the JDK's WebSocket client: an order created over
 * OData reaches a client of {@code /ws/live}, and {@code echo} answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MinimalAppTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Test
  @DisplayName("E1 P1: an order created over OData arrives as orderPlaced; echo replies with the frame's id")
  void ordersAndEcho() throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws/live"),
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              frames.add(text.toString());
              text.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + port + "/odata/v4/OrderService/Orders"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"product\":\"tea\",\"quantity\":2}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(frames.poll(10, TimeUnit.SECONDS)).startsWith("{\"event\":\"orderPlaced\",\"data\":{\"ID\":\"")
          .endsWith("\"product\":\"tea\",\"quantity\":2}}");

      socket.sendText("{\"event\":\"echo\",\"data\":{\"text\":\"hi\"},\"id\":1}", true);
      assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"event\":\"echo\",\"data\":\"echo: hi\",\"id\":1}");
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
  }
}
