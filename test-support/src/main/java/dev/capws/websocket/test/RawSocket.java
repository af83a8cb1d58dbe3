package dev.capws.websocket.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket peer at the byte level, for what a well-behaved client library cannot send: unmasked frames, unknown
 * opcodes, broken UTF-8 in text frames, connections dropped mid-message.
 */
public final class RawSocket implements AutoCloseable {

  public static final int TEXT = ClientFrames.TEXT;
  public static final int BINARY = ClientFrames.BINARY;
  public static final int CLOSE = ClientFrames.CLOSE;
  public static final int PING = ClientFrames.PING;
  public static final int PONG = ClientFrames.PONG;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** The status line of the server's answer to the upgrade request. */
  private String status;

  /** One frame as received. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame. */
    public int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private RawSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) WsClient.TIMEOUT.toMillis());
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens a TCP connection and performs the upgrade; fails unless the server answers 101. */
  public static RawSocket upgrade(int port, String path, Map<String, String> headers) {
    RawSocket raw = open(port, path, newKey(), headers);
    String status = raw.status;
    if (!status.startsWith("HTTP/1.1 101")) {
      raw.close();
      throw new IllegalStateException("Upgrade refused: " + status);
    }
    return raw;
  }

  /**
   * The status code the server answers an upgrade request with this {@code Sec-WebSocket-Key} (which a test may
   * break on purpose); the connection is closed right after.
   */
  public static int upgradeStatus(int port, String path, String key, Map<String, String> headers) {
    try (RawSocket raw = open(port, path, key, headers)) {
      return Integer.parseInt(raw.status.split(" ")[1]);
    }
  }

  /**
   * Sends an upgrade request and resets the connection (TCP RST) at once, without reading the answer: a client that
   * gives up the moment it has asked.
   */
  public static void resetAfterRequest(int port, String path, Map<String, String> headers) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.getOutputStream().write(request(port, path, newKey(), headers));
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0); // closing now sends RST instead of FIN
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RawSocket open(int port, String path, String key, Map<String, String> headers) {
    try {
      RawSocket raw = new RawSocket(new Socket("localhost", port));
      raw.out.write(request(port, path, key, headers));
      raw.out.flush();
      raw.status = raw.readHeaders();
      return raw;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] request(int port, String path, String key, Map<String, String> headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + key + "\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String newKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed during the handshake");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
  }

  /** Sends one frame exactly as described: a client must mask, so {@code masked = false} is a violation. */
  public RawSocket send(int opcode, byte[] payload, boolean fin, boolean masked) {
    return sendBytes(ClientFrames.frame(opcode, payload, fin, masked ? ClientFrames.randomMask() : null));
  }

  public RawSocket sendText(String text) {
    return send(TEXT, text.getBytes(StandardCharsets.UTF_8), true, true);
  }

  /** Writes bytes as they are, e.g. half a frame before dropping the connection. */
  public RawSocket sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next frame from the server, answering the server's heartbeat pings on the way (as every WebSocket client
   * library does) and skipping them.
   */
  public Frame read() {
    while (true) {
      Frame frame = readAny();
      if (frame.opcode() != PING) {
        return frame;
      }
      send(PONG, frame.payload(), true, true);
    }
  }

  /** The next frame from the server as it is, pings included (server frames are never masked). */
  public Frame readAny() {
    try {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(first & 0x0F, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until the server's close frame and returns its code. */
  public int awaitCloseCode() {
    while (true) {
      Frame frame = readAny();
      if (frame.opcode() == CLOSE) {
        return frame.closeCode();
      }
    }
  }

  /**
   * Reads (and drops) whatever comes until the server ends the connection; true if it did within {@code within},
   * false if the connection was still open then.
   */
  public boolean awaitEnd(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server: ended too
    }
  }

  /** The client's end of the connection: which local port it uses (to find the server's end in /proc/net/tcp). */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Drops the connection with a TCP reset (no close frame, no FIN), like a client whose process was killed. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
