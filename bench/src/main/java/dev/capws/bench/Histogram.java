package dev.capws.bench;

/**
 * Latencies in nanoseconds, log-linear: exact below 128 ns, then 128 buckets per power of two (under 0.8 % error).
 * Fixed size, no allocation per value; one per thread, merged at the end.
 */
final class Histogram {

  private static final int SUB = 128;
  private static final int SUB_BITS = 7;
  private final long[] counts = new long[SUB * 58];
  private long total;
  private long max;

  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  void add(Histogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  /** The value at quantile q (nearest rank), as the middle of its bucket, never above the maximum. */
  long quantile(double q) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, middle(i));
      }
    }
    return max;
  }

  private static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v); // >= 7
    int shift = exponent - SUB_BITS;
    int mantissa = (int) (v >>> shift); // in [128, 256)
    return SUB * (shift + 1) + (mantissa - SUB);
  }

  private static long middle(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    long mantissa = SUB + index % SUB;
    return (mantissa << shift) + ((1L << shift) >>> 1);
  }
}
