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

  /** The next entry about this user, waiting at most ten seconds; entries about others are skipped. */
  public String next(String user) throws InterruptedException {
    return next(user, null);
  }

  /**
   * The next entry of this kind (its first word, e.g. "route") about this user; others are skipped, so that what an
   * earlier test left behind (an onDisconnect of the same user) does not stand in.
   */
  public String next(String user, String kind) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String entry;
    do {
      entry = entries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (entry == null) {
        throw new AssertionError("No hook call for " + user + " within 10 s");
      }
    } while (!entry.split(" ")[1].equals(user) || kind != null && !entry.split(" ")[0].equals(kind));
    return entry;
  }
}
