package dev.capws.websocket.internal.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * The container's non-blocking output as a test scripts it: whether it is ready, how many writes it takes before it
 * is not, whether writes fail or hold their thread. It records what is written, one server frame per write, as short
 * strings ({@code text:hi}, {@code close:1000:bye}, {@code pong:p}, {@code ping}) and each {@code flush}.
 */
public final class ScriptedOutputStream extends ServletOutputStream {

  private final List<String> events = new ArrayList<>();
  private WriteListener listener;
  /** Writes taken before isReady() turns false. */
  private int allowance = Integer.MAX_VALUE;
  private IOException failure;
  private CountDownLatch hold;
  private final CountDownLatch held = new CountDownLatch(1);

  @Override
  public synchronized boolean isReady() {
    return allowance > 0;
  }

  /** Takes this many more writes, then reports not ready until changed again. */
  public synchronized void allow(int writes) {
    allowance = writes;
  }

  /** Whether the stream takes writes. */
  public synchronized void ready(boolean ready) {
    allowance = ready ? Integer.MAX_VALUE : 0;
  }

  /** Every write from now on throws this. */
  public synchronized void failWith(IOException e) {
    failure = e;
  }

  /** The next write is recorded, then holds its thread until {@link #release()}. */
  public synchronized void holdNextWrite() {
    hold = new CountDownLatch(1);
  }

  public void release() {
    CountDownLatch latch;
    synchronized (this) {
      latch = hold;
      hold = null;
    }
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Waits (bounded) until a write is being held. */
  public boolean awaitHeld() throws InterruptedException {
    return held.await(5, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void setWriteListener(WriteListener writeListener) {
    listener = writeListener;
  }

  public synchronized WriteListener listener() {
    return listener;
  }

  @Override
  public void write(int b) {
    throw new UnsupportedOperationException("frames are written whole");
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    CountDownLatch latch;
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
      if (allowance <= 0) {
        throw new IllegalStateException("written while not ready"); // the Servlet API forbids this
      }
      if (allowance != Integer.MAX_VALUE) {
        allowance--;
      }
      events.add(decode(bytes, offset, length));
      notifyAll();
      latch = hold;
    }
    if (latch != null) {
      held.countDown();
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (failure != null) {
      throw failure;
    }
    events.add("flush");
    notifyAll();
  }

  /** What was written so far. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The frames written so far, without the flushes. */
  public synchronized List<String> frames() {
    return events.stream().filter(e -> !e.equals("flush")).toList();
  }

  /** Waits at most 5 s until what was written satisfies the condition; returns what was written then. */
  public synchronized List<String> await(Predicate<List<String>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.test(List.copyOf(events))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(events);
  }

  /** Waits at most 5 s until at least this many frames were written; returns the frames then. */
  public List<String> awaitFrames(int count) throws InterruptedException {
    await(events -> events.stream().filter(e -> !e.equals("flush")).count() >= count);
    return frames();
  }

  /** One unmasked server frame as a short string. */
  static String decode(byte[] bytes, int offset, int length) {
    int opcode = bytes[offset] & 0x0F;
    int size = bytes[offset + 1] & 0x7F;
    int at = offset + 2;
    if (size == 126) {
      size = (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
      at += 2;
    } else if (size == 127) {
      long big = 0;
      for (int i = 0; i < 8; i++) {
        big = big << 8 | bytes[at + i] & 0xFF;
      }
      size = (int) big;
      at += 8;
    }
    if (at + size != offset + length) {
      throw new IllegalStateException("a write must carry exactly one frame");
    }
    String payload = new String(bytes, at, size, StandardCharsets.UTF_8);
    return switch (opcode) {
      case 0x1 -> "text:" + payload;
      case 0x8 -> "close:" + ((bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF) + ":"
          + new String(bytes, at + 2, size - 2, StandardCharsets.UTF_8);
      case 0x9 -> "ping";
      case 0xA -> "pong:" + payload;
      default -> "opcode" + opcode + ":" + payload;
    };
  }
}
