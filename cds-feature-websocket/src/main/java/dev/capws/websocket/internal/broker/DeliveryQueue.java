package dev.capws.websocket.internal.broker;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The deliveries waiting for the fan-out, in the order they were handed over. Handing over and waiting for room are
 * two steps: deliveries are queued at once, in order, and only then does their emitter wait until the fan-out has
 * caught up with them. So no emitter can pass another while it waits (as with a semaphore, where a later emitter
 * may take the place that an earlier one was woken for), a change set's deliveries stay together, and giving up the
 * wait leaves them where they are.
 *
 * <p>Room is counted, not held: deliveries are numbered as they come, and an emitter whose last delivery has number
 * {@code n} may go on once at most {@code capacity} deliveries up to {@code n} are still waiting.
 */
final class DeliveryQueue {

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition taken = lock.newCondition();
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  /** When each waiting delivery was added (System.nanoTime), in the same order: for the fan-out wait meter. */
  private final ArrayDeque<Long> since = new ArrayDeque<>();
  /** Deliveries ever added, and ever taken by the fan-out: their difference is what waits. */
  private volatile long added;
  private volatile long removed;
  /** How long the deliveries taken so far waited in all. */
  private volatile long waitedNanos;

  DeliveryQueue(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  /**
   * Makes and queues deliveries one after the other, under the queue's lock, so that they leave in the order they
   * were made (their positions in a history too) and nothing comes between them.
   *
   * @return the number of the last one, to {@link #awaitRoom} with
   */
  long add(List<Supplier<Delivery>> makes) {
    lock.lock();
    try {
      long now = System.nanoTime();
      for (Supplier<Delivery> make : makes) {
        waiting.add(make.get());
        since.add(now);
        added++;
      }
      notEmpty.signal();
      return added;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the fan-out has caught up with delivery {@code number} (at most {@code capacity} up to it still
   * wait), or until the deadline.
   *
   * @return false if the deadline came first
   */
  boolean awaitRoom(long number, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (number - removed > capacity) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        taken.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code most} waiting deliveries into {@code batch}, waiting up to {@code timeoutMillis} for the first.
   *
   * @return how many it took
   */
  int take(List<Delivery> batch, int most, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (waiting.isEmpty()) {
        if (left <= 0) {
          return 0;
        }
        left = notEmpty.awaitNanos(left);
      }
      int count = 0;
      long now = System.nanoTime();
      long waited = 0;
      while (count < most && !waiting.isEmpty()) {
        batch.add(waiting.poll());
        waited += now - since.poll();
        count++;
      }
      removed += count;
      waitedNanos += waited;
      taken.signalAll(); // each emitter checks whether it is its turn; they are few, and wake per batch
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** What waits now, what the fan-out took so far, and how long that waited in all. */
  FanOutStats stats() {
    long taken = removed;
    return new FanOutStats(Math.max(0, added - taken), taken, waitedNanos);
  }
}
