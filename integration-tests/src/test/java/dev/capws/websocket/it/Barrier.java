package dev.capws.websocket.it;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.capws.websocket.test.WsClient;

/**
 * Proves what a client did not receive, without waiting an arbitrary time: events of a service leave in the order
 * they are published, so once a client has the barrier event (an untargeted event emitted after the one under
 * test), anything it did not get before it, it never gets.
 */
final class Barrier {

  private Barrier() {}

  /**
   * Emits the barrier and returns, per client, the frames that came before it.
   *
   * @param text the barrier's unique {@code data.text}
   */
  static List<List<JsonNode>> framesBefore(String text, Runnable emitBarrier, WsClient... clients) {
    emitBarrier.run();
    List<List<JsonNode>> all = new ArrayList<>();
    for (WsClient client : clients) {
      List<JsonNode> frames = new ArrayList<>();
      for (JsonNode frame = client.next(); !text.equals(frame.at("/data/text").asText()); frame = client.next()) {
        frames.add(frame);
      }
      all.add(frames);
    }
    return all;
  }
}
