package dev.capws.websocket.it;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/** What the lifecycle hooks saw, in order, for tests to await. */
@Component
public class HookLog {

  private final BlockingQueue<String> entries = new LinkedBlockingQueue<>();

  void add(String entry) {
    entries.add(entry);
  }

  /** The next entry, waiting at most ten seconds. */
  public String next() throws InterruptedException {
    String entry = entries.poll(10, TimeUnit.SECONDS);
    if (entry == null) {
      throw new AssertionError("No hook call within 10 s");
    }
    return entry;
  }

  public void clear() {
    entries.clear();
  }
}
