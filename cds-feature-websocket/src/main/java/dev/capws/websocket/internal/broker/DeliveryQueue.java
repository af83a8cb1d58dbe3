package dev.capws.websocket.internal.broker;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The deliveries waiting for the fan-out, in the order they were handed over. Handing over and waiting for room are
 * two steps: deliveries are queued at once, in order, and only then does their emitter wait until the fan-out has
 * caught up with them. So no emitter can pass another while it waits (as with a semaphore, where a later emitter
 * may take the place that an earlier one was woken for), a change set's deliveries stay together, and giving up the
 * wait leaves them where they are.
 *
 * <p>Room is counted, not held: deliveries are numbered as they come, and an emitter whose last delivery has number
 * {@code n} may go on once at most {@code events} deliveries up to {@code n} still wait, and either its own has been
 * taken or the oldest waiting one has waited no longer than {@code delay} (see {@link FanOutBound}).
 */
final class DeliveryQueue {

  /** A delivery as it waits, and since when (System.nanoTime). */
  private record Waiting(Delivery delivery, long since) {
  }

  private final int capacity;
  private final long delayNanos;
  private final LongSupplier clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition taken = lock.newCondition();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** Deliveries ever added, and ever taken by the fan-out: their difference is what waits. */
  private volatile long added;
  private volatile long removed;
  /** How long the deliveries taken so far waited in all. */
  private volatile long waitedNanos;

  DeliveryQueue(FanOutBound bound) {
    this(bound, System::nanoTime);
  }

  /** @param clock nanoseconds, as System.nanoTime (tests move their own) */
  DeliveryQueue(FanOutBound bound, LongSupplier clock) {
    this.capacity = Math.max(1, bound.events());
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, bound.delayMillis()));
    this.clock = clock;
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
      long now = clock.getAsLong();
      for (Supplier<Delivery> make : makes) {
        waiting.add(new Waiting(make.get(), now));
        added++;
      }
      notEmpty.signal();
      return added;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the fan-out has caught up with delivery {@code number} (at most {@code events} up to it still wait,
   * and it was taken or nothing has waited longer than {@code delay}), or until the deadline.
   *
   * @return false if the deadline came first
   */
  boolean awaitRoom(long number, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (number - removed > capacity || (number > removed && behind())) {
        long left = deadlineNanos - clock.getAsLong();
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
   * Whether the oldest waiting delivery has waited longer than {@code delay}: the fan-out is behind by more than the
   * delay, not only busy with a burst. Caller holds the lock.
   */
  private boolean behind() {
    Waiting oldest = waiting.peek();
    return delayNanos > 0 && oldest != null && clock.getAsLong() - oldest.since() > delayNanos;
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
      long now = clock.getAsLong();
      long waited = 0;
      while (count < most && !waiting.isEmpty()) {
        Waiting next = waiting.poll();
        batch.add(next.delivery());
        waited += now - next.since();
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

  /** Whether any delivery waits for the fan-out now. */
  boolean hasWaiting() {
    return added != removed;
  }

  /** What waits now, what the fan-out took so far, and how long that waited in all. */
  FanOutStats stats() {
    long taken = removed;
    return new FanOutStats(Math.max(0, added - taken), taken, waitedNanos);
  }
}
