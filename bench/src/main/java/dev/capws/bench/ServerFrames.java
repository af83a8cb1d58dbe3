package dev.capws.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.capws.websocket.test.ClientFrames;

/**
 * The server's frames as a loop reads them: unmasked, 7/16/64-bit lengths, fragmented messages reassembled, pong for
 * every ping, the close handshake answered. Complete messages go to the scenario's handler. Runs on the loop's
 * thread only.
 */
final class ServerFrames {

  private static final int MAX_MESSAGE = 64 << 20;

  private final Loop loop;
  private final WsEngine.Handler handler;

  ServerFrames(Loop loop, WsEngine.Handler handler) {
    this.loop = loop;
    this.handler = handler;
  }

  /** Handles every complete frame in conn.in (flipped), then compacts it (growing it for a large frame). */
  void read(Conn conn, long now) throws IOException {
    ByteBuffer in = conn.in;
    byte[] a = in.array();
    int needed = 0;
    while (conn.state < Conn.CLOSED) {
      int p = in.arrayOffset() + in.position();
      int available = in.remaining();
      if (available < 2) {
        break;
      }
      int b0 = a[p] & 0xff;
      int b1 = a[p + 1] & 0xff;
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7f;
      int header = 2;
      if (length == 126) {
        if (available < 4) {
          break;
        }
        length = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
        header = 4;
      } else if (length == 127) {
        if (available < 10) {
          break;
        }
        length = 0;
        for (int i = 2; i < 10; i++) {
          length = (length << 8) | (a[p + i] & 0xff);
        }
        header = 10;
      }
      if (masked) {
        header += 4;
      }
      if (length < 0 || length > MAX_MESSAGE) {
        loop.fail(conn, "frame too large: " + length);
        return;
      }
      if (available < header + length) {
        needed = (int) (header + length);
        break;
      }
      int offset = p + header;
      int len = (int) length;
      if (masked) { // servers must not mask, but tolerate it
        int mask = p + header - 4;
        for (int i = 0; i < len; i++) {
          a[offset + i] ^= a[mask + (i & 3)];
        }
      }
      in.position(in.position() + header + len);
      frame(conn, fin, opcode, a, offset, len, now);
    }
    if (conn.state >= Conn.CLOSED) {
      return;
    }
    in.compact();
    if (needed > in.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
      in.flip();
      bigger.put(in);
      conn.in = bigger;
    }
  }

  private void frame(Conn conn, boolean fin, int opcode, byte[] a, int offset, int length, long now)
      throws IOException {
    switch (opcode) {
      case ClientFrames.TEXT, ClientFrames.BINARY -> {
        if (conn.fragments != null) {
          loop.fail(conn, "new message inside a fragmented one");
        } else if (fin) {
          if (conn.deliversMessages()) {
            handler.message(loop, conn, a, offset, length, now);
          }
        } else {
          conn.fragments = new byte[Math.max(256, length * 2)];
          System.arraycopy(a, offset, conn.fragments, 0, length);
          conn.fragmentsLength = length;
        }
      }
      case ClientFrames.CONTINUATION -> continuation(conn, fin, a, offset, length, now);
      case ClientFrames.PING -> loop.send(conn, ClientFrames.PONG, a, offset, length);
      case ClientFrames.PONG -> { }
      case ClientFrames.CLOSE -> {
        if (conn.state == Conn.UPGRADED) {
          loop.fail(conn, "server closed the connection during the protocol's handshake: " + closeReason(a, offset,
              length));
          return;
        }
        if (conn.state == Conn.OPEN) {
          loop.closedByServer("server closed a connection: " + closeReason(a, offset, length));
        }
        if (!conn.closeSent) {
          conn.closeSent = true;
          loop.send(conn, ClientFrames.CLOSE, a, offset, Math.min(length, 2)); // echo the code
        }
        conn.state = Conn.CLOSING; // the server closes the TCP connection next
      }
      default -> loop.fail(conn, "unknown opcode " + opcode);
    }
  }

  /** A close frame's code and reason, as text. */
  private static String closeReason(byte[] a, int offset, int length) {
    int code = length >= 2 ? ((a[offset] & 0xff) << 8) | (a[offset + 1] & 0xff) : 1005;
    String reason = length > 2 ? new String(a, offset + 2, length - 2, StandardCharsets.UTF_8) : "";
    return code + " " + reason;
  }

  private void continuation(Conn conn, boolean fin, byte[] a, int offset, int length, long now) {
    if (conn.fragments == null) {
      loop.fail(conn, "continuation without a started message");
      return;
    }
    int total = conn.fragmentsLength + length;
    if (total > MAX_MESSAGE) {
      loop.fail(conn, "fragmented message too large");
      return;
    }
    if (total > conn.fragments.length) {
      conn.fragments = Arrays.copyOf(conn.fragments, Math.max(total, conn.fragments.length * 2));
    }
    System.arraycopy(a, offset, conn.fragments, conn.fragmentsLength, length);
    conn.fragmentsLength = total;
    if (fin) {
      byte[] message = conn.fragments;
      conn.fragments = null;
      conn.fragmentsLength = 0;
      if (conn.deliversMessages()) {
        handler.message(loop, conn, message, 0, total, now);
      }
    }
  }
}
