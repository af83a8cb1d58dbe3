package dev.capws.websocket.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Hooks that take their time, for clients that connect with an identifier starting with {@value #PREFIX}: their
 * {@code wsDisconnect} handler takes {@value #MILLIS} ms (as one that writes to a slow database would), and the
 * {@code onDisconnect} callback registered at connect records which thread it ran on.
 */
@Component
public class SlowHooks {

  public static final String PREFIX = "slow-hook";
  static final long MILLIS = 100;

  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch callbacks = new CountDownLatch(0);

  static boolean applies(String identifier) {
    return identifier != null && identifier.startsWith(PREFIX);
  }

  /** Expects this many onDisconnect callbacks from now on. */
  public void expect(int count) {
    threads.clear();
    callbacks = new CountDownLatch(count);
  }

  /** Waits (bounded) until the expected callbacks ran. */
  public boolean await(long seconds) throws InterruptedException {
    return callbacks.await(seconds, TimeUnit.SECONDS);
  }

  /** The names of the threads the callbacks ran on, without their numbers. */
  public Set<String> threads() {
    return Set.copyOf(threads);
  }

  /** The slow part of a wsDisconnect handler: what the hook is about, not a synchronisation. */
  void work() {
    try {
      Thread.sleep(MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void callbackRan() {
    threads.add(Thread.currentThread().getName().replaceAll("[-\\d]+$", ""));
    callbacks.countDown();
  }
}
