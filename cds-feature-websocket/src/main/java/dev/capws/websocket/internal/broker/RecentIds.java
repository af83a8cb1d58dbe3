package dev.capws.websocket.internal.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last envelopes received, so that one published twice (an outbox retry after a crash between the
 * publish and its acknowledgement) is delivered once. Bounded: an id is remembered for the next {@code capacity}.
 */
final class RecentIds {

  private final Map<String, Boolean> ids;

  RecentIds(int capacity) {
    this.ids = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Notes the id; false if it was seen lately (or null ids: always true, there is nothing to compare). */
  synchronized boolean first(String id) {
    return id == null || ids.put(id, Boolean.TRUE) == null;
  }
}
