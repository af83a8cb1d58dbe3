package dev.capws.websocket.internal.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.capws.websocket.internal.codec.OutboundFrame;

/**
 * Engine.IO's long-polling transport of one session, as the output stream of its {@link
 * dev.capws.websocket.internal.connection.Connection}: the connection's writer writes the same frames it would write
 * to a socket (so the outbox, its limits and the broadcasts' shared frames work unchanged); this stream takes each
 * frame's text out of it and keeps it until the client's next poll (a GET) takes everything that waits, separated by
 * {@code \x1e}. A poll waits here (asynchronously, holding no thread) until there is something to send.
 *
 * <p>Backpressure as on a socket: beyond {@code byteLimit} waiting bytes, the stream reports not ready; the writer
 * stops, the outbox fills up to its own limit (then the client is closed with 1013), and the next poll lets the
 * writer go on.
 */
final class PollingTransport extends ServletOutputStream {

  private static final Logger LOG = LoggerFactory.getLogger(PollingTransport.class);
  private static final int TEXT = 0x1;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final int SEPARATOR = 0x1e;

  private final long byteLimit;
  private final long pollTimeoutMillis;
  private final Runnable onCloseSent;
  /** Packets that wait: slices of the frames' shared bytes (no copy, no decoding per client). */
  private final List<Slice> packets = new ArrayList<>();
  private long bytes;
  private WriteListener listener;
  private boolean blocked;
  private AsyncContext waiting;
  /** The session's close packet is among those that wait: after the poll that takes it, nothing follows. */
  private boolean closing;
  /** The socket of an upgrade, once the container hands it over; it carries nothing but the probe until the switch. */
  private ServletOutputStream socket;
  /** The probe was answered: polls are answered at once, so that the client can pause polling and switch. */
  private boolean probed;
  /** Switched: every frame goes to the socket as it is; no more polls. */
  private boolean forwarding;

  /**
   * @param pollTimeoutMillis how long a poll waits for data at most (then it gets a noop and polls again)
   * @param onCloseSent       runs once the close packet has gone to the client
   */
  PollingTransport(long byteLimit, long pollTimeoutMillis, Runnable onCloseSent) {
    this.byteLimit = byteLimit;
    this.pollTimeoutMillis = pollTimeoutMillis;
    this.onCloseSent = onCloseSent;
  }

  /** Sends a packet that is not a connection's frame (the open packet, a noop). */
  void add(String packet) {
    synchronized (this) {
      packets.add(Slice.of(packet));
      bytes += packet.length();
    }
    deliver();
  }

  /**
   * A poll from the client.
   *
   * @return false if another poll is already waiting (Engine.IO allows one at a time)
   */
  boolean poll(AsyncContext poll) {
    // Set up before the poll is shared: another thread may answer it as soon as it waits here.
    poll.setTimeout(pollTimeoutMillis);
    poll.addListener(new AsyncListener() {
      @Override
      public void onTimeout(AsyncEvent event) {
        if (release(poll)) { // nothing came meanwhile: Engine.IO's noop sends the client back polling
          respond(poll, List.of(Slice.of(SocketIoWire.NOOP)));
        }
      }

      @Override
      public void onError(AsyncEvent event) {
        release(poll); // what waits stays for the next poll
      }

      @Override
      public void onComplete(AsyncEvent event) {
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
      }
    });
    synchronized (this) {
      if (waiting != null || forwarding) {
        return false;
      }
      waiting = poll;
    }
    deliver();
    return true;
  }

  // --- the upgrade to WebSocket: probe, then switch (Engine.IO 4)

  /** Takes the socket of an upgrade; false if one was taken before. */
  synchronized boolean socketArrived(ServletOutputStream upgraded) {
    if (socket != null) {
      return false;
    }
    socket = upgraded;
    return true;
  }

  synchronized boolean upgrading() {
    return socket != null;
  }

  /**
   * Answers the client's probe over the new socket ({@code 3probe}, the only thing it may carry before the switch:
   * anything else fails the client's probe) and ends the waiting poll, so that the client can pause polling.
   */
  boolean probe() throws IOException {
    synchronized (this) {
      if (socket == null || forwarding) {
        return false;
      }
      probed = true;
      // No write listener yet: the container writes this blocking, and it is a few bytes on a fresh socket.
      socket.write(OutboundFrame.text(SocketIoWire.PROBE_ANSWER).wire());
      socket.flush();
    }
    endPoll();
    return true;
  }

  /**
   * The client switched: what still waits for a poll leaves on the socket first, in order, then every frame the
   * connection writes goes to the socket unchanged (the same shared bytes; the socket's backpressure reaches the
   * writer through this stream).
   */
  boolean switchToSocket() throws IOException {
    synchronized (this) {
      if (!probed || forwarding) {
        return false;
      }
      for (Slice packet : packets) {
        socket.write(OutboundFrame.text(new String(packet.bytes(), packet.offset(), packet.length(),
            StandardCharsets.UTF_8)).wire());
      }
      socket.flush();
      packets.clear();
      bytes = 0;
      forwarding = true;
      socket.setWriteListener(new WriteListener() {
        @Override
        public void onWritePossible() throws IOException {
          listener.onWritePossible();
        }

        @Override
        public void onError(Throwable failure) {
          listener.onError(failure);
        }
      });
    }
    endPoll();
    return true;
  }

  /** Ends a waiting poll with a noop (the transport changes, or the session ends). */
  void endPoll() {
    AsyncContext poll;
    synchronized (this) {
      poll = waiting;
      waiting = null;
    }
    if (poll != null) {
      respond(poll, List.of(Slice.of(SocketIoWire.NOOP)));
    }
  }

  private synchronized boolean release(AsyncContext poll) {
    if (waiting != poll) {
      return false;
    }
    waiting = null;
    return true;
  }

  /** The writer's flush: what waits goes to the waiting poll, or, after the switch, the socket is flushed. */
  @Override
  public void flush() throws IOException {
    ServletOutputStream upgraded;
    synchronized (this) {
      upgraded = forwarding ? socket : null;
    }
    if (upgraded != null) {
      synchronized (this) {
        upgraded.flush();
      }
    } else {
      deliver();
    }
  }

  /** Hands what waits to the waiting poll, if both are there. */
  private void deliver() {
    AsyncContext poll;
    List<Slice> taken;
    boolean resume;
    boolean closed;
    synchronized (this) {
      if (forwarding) {
        return;
      }
      if (probed && waiting != null && packets.isEmpty()) {
        packets.add(Slice.of(SocketIoWire.NOOP)); // the client pauses polling for the switch: no poll may wait
      }
      if (waiting == null || packets.isEmpty()) {
        return;
      }
      poll = waiting;
      waiting = null;
      taken = new ArrayList<>(packets);
      packets.clear();
      bytes = 0;
      resume = blocked;
      blocked = false;
      closed = closing;
    }
    respond(poll, taken);
    if (closed) {
      onCloseSent.run();
    }
    if (resume && listener != null) {
      try {
        listener.onWritePossible(); // the writer stopped at the limit: it goes on now
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }

  /** Writes the poll's answer on a container thread: the caller (often the fan-out) never waits for a client. */
  private static void respond(AsyncContext poll, List<Slice> taken) {
    poll.start(() -> {
      try {
        HttpServletResponse response = (HttpServletResponse) poll.getResponse();
        int length = taken.size() - 1;
        for (Slice slice : taken) {
          length += slice.length();
        }
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(length);
        ServletOutputStream out = response.getOutputStream();
        for (int i = 0; i < taken.size(); i++) {
          if (i > 0) {
            out.write(SEPARATOR);
          }
          out.write(taken.get(i).bytes(), taken.get(i).offset(), taken.get(i).length());
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("Answering a poll failed", e);
      } finally {
        poll.complete();
      }
    });
  }

  // --- the connection's writer writes here, one whole frame per call (see FrameWriter)

  @Override
  public synchronized boolean isReady() {
    if (forwarding) {
      return socket.isReady();
    }
    if (bytes >= byteLimit) {
      blocked = true;
      return false;
    }
    return true;
  }

  @Override
  public void setWriteListener(WriteListener writeListener) {
    this.listener = writeListener;
  }

  @Override
  public void write(int b) {
    throw new UnsupportedOperationException("Whole frames only");
  }

  /**
   * Takes the text out of one of our own frames (unmasked, unfragmented: see OutboundFrame); after the switch to
   * the socket, passes the frame on as it is.
   */
  @Override
  public synchronized void write(byte[] frame, int offset, int length) throws IOException {
    if (forwarding) {
      socket.write(frame, offset, length);
      return;
    }
    int opcode = frame[offset] & 0x0F;
    int size = frame[offset + 1] & 0x7F;
    int header = size < 126 ? 2 : size == 126 ? 4 : 10;
    Slice text;
    if (opcode == TEXT) {
      text = new Slice(frame, offset + header, length - header);
    } else if (opcode == PING) {
      text = Slice.of(SocketIoWire.PING);
    } else if (opcode == CLOSE) {
      text = Slice.of(SocketIoWire.CLOSE);
    } else {
      return; // pongs: Engine.IO clients do not ping
    }
    if (closing) {
      return;
    }
    closing = opcode == CLOSE;
    packets.add(text);
    bytes += length;
  }

  /** A packet's bytes within a larger array (a frame shared by all recipients). */
  private record Slice(byte[] bytes, int offset, int length) {
    static Slice of(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      return new Slice(bytes, 0, bytes.length);
    }
  }
}
