package dev.capws.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out's events: OData creates of {@code Data} rows, row n carrying {@code "value":"bench-<n>"}, which the
 * server's notification echoes to every client. Each create's send time goes to sentAt[n], where latencies start,
 * and the time its answer came in to answeredAt[n].
 */
final class OdataCreates {

  private final URI http;
  private final String odata;
  private final int concurrency;
  /** --interval-ms: one create every interval (an open loop), 0: as fast as the server answers. */
  private final long intervalNanos;
  private final long[] sentAt;
  private final long[] answeredAt;

  OdataCreates(Options options, int concurrency, long[] sentAt, long[] answeredAt) {
    this.http = options.http;
    this.odata = options.odata;
    this.concurrency = concurrency;
    // Pacing measures latency at a rate both servers sustain, instead of each server's own maximum rate.
    this.intervalNanos = TimeUnit.MICROSECONDS.toNanos((long) (options.doubleOption("--interval-ms", 0) * 1000));
    this.sentAt = sentAt;
    this.answeredAt = answeredAt;
  }

  /** Creates events [from, to) over `concurrency` keep-alive connections, each create after the previous answer. */
  void post(int from, int to) throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    AtomicReference<String> error = new AtomicReference<>();
    long interval = intervalNanos;
    long start = System.nanoTime();
    Runnable worker = () -> {
      try (HttpPoster poster = new HttpPoster(http)) {
        for (int e = next.getAndIncrement(); e < to && error.get() == null; e = next.getAndIncrement()) {
          if (interval > 0) {
            long due = start + (e - from) * interval;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
              LockSupport.parkNanos(due - now);
            }
          }
          sentAt[e] = System.nanoTime();
          int status = poster.post(odata, "{\"value\":\"bench-" + e + "\",\"count\":" + e + "}");
          answeredAt[e] = System.nanoTime();
          if (status != 201) {
            error.compareAndSet(null, "create returned " + status + ": " + poster.lastBody);
          }
        }
      } catch (Exception e) {
        error.compareAndSet(null, "create failed: " + e);
      }
    };
    if (concurrency == 1) {
      worker.run();
    } else {
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        Thread thread = new Thread(worker, "poster-" + i);
        thread.start();
        workers.add(thread);
      }
      for (Thread thread : workers) {
        thread.join();
      }
    }
    if (error.get() != null) {
      throw new SetupException(error.get());
    }
  }
}
