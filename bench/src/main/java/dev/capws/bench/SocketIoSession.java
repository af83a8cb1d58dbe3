package dev.capws.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

import dev.capws.websocket.test.ClientFrames;

/**
 * Socket.IO over a raw WebSocket, as {@code socket.io-client} with {@code transports: ["websocket"]} speaks it
 * (Engine.IO 4, Socket.IO 5), in front of a scenario's handler: after the upgrade of
 * {@code /socket.io/?EIO=4&transport=websocket} the server sends Engine.IO's open packet ({@code 0{"sid":...}}), the
 * client joins the namespace ({@code 40/ws/chat,}), and only the server's {@code 40/ws/chat,{"sid":...}} makes the
 * connection count as opened ({@code 44/ws/chat,...} refuses it); Engine.IO's ping {@code 2} is answered with
 * {@code 3}. The namespace's events ({@code 42/ws/chat,["event",{...}]}) and acknowledgements
 * ({@code 43/ws/chat,<id>[...]}) go to the scenario's handler as they are: the fan-out finds its marker in them, the
 * calls read the acknowledgement id ({@link CallFrames}). Runs on the connection's loop thread.
 */
final class SocketIoSession implements WsEngine.Handler {

  private static final byte[] PONG = {'3'};

  private final WsEngine.Handler scenario;
  /** {@code 40<namespace>,}: the client's connect, and the start of the server's answer. */
  private final byte[] connect;
  private final byte[] refused;
  private final byte[] disconnect;

  SocketIoSession(String namespace, WsEngine.Handler scenario) {
    this.scenario = scenario;
    this.connect = ascii("40" + namespace + ",");
    this.refused = ascii("44" + namespace + ",");
    this.disconnect = ascii("41" + namespace + ",");
  }

  /** Engine.IO's WebSocket endpoint on the host and port of a service's URI: {@code ws://host:port/ws/chat}. */
  static URI engineUri(URI service) {
    try {
      return new URI(service.getScheme(), null, service.getHost(), service.getPort(), "/socket.io/",
          "EIO=4&transport=websocket", null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("no Engine.IO URI for " + service, e);
    }
  }

  /** The namespace of a service's URI: its path ({@code /ws/chat}), as the Node plugin names namespaces. */
  static String namespace(URI service) {
    String path = service.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  @Override
  public void upgraded(Loop loop, Conn conn, long now) {
    // Not established yet: the open packet comes first, then the namespace connect.
  }

  @Override
  public void opened(Loop loop, Conn conn, long now) {
    scenario.opened(loop, conn, now);
  }

  @Override
  public void message(Loop loop, Conn conn, byte[] a, int offset, int length, long now) {
    if (length == 0) {
      loop.fail(conn, "an empty Engine.IO packet");
      return;
    }
    try {
      switch (a[offset]) {
        case '2' -> loop.send(conn, ClientFrames.TEXT, PONG, 0, 1); // Engine.IO's heartbeat
        case '0' -> {
          if (conn.isOpen()) {
            loop.fail(conn, "a second Engine.IO open packet");
          } else {
            loop.send(conn, ClientFrames.TEXT, connect, 0, connect.length);
          }
        }
        case '1' -> loop.fail(conn, "the server closed the Engine.IO session");
        case '4' -> socketIo(loop, conn, a, offset, length, now);
        default -> loop.fail(conn, "unexpected Engine.IO packet: " + text(a, offset, length));
      }
    } catch (IOException e) {
      loop.fail(conn, e.toString()); // the loop would notice on its next read; this says why
    }
  }

  /** A Socket.IO packet (Engine.IO's message, {@code 4...}). */
  private void socketIo(Loop loop, Conn conn, byte[] a, int offset, int length, long now) {
    if (!conn.isOpen()) {
      if (startsWith(a, offset, length, connect)) {
        loop.established(conn, now);
      } else if (startsWith(a, offset, length, refused)) {
        loop.fail(conn, "namespace connect refused: " + text(a, offset, length));
      } else {
        loop.fail(conn, "before the namespace connect: " + text(a, offset, length));
      }
    } else if (startsWith(a, offset, length, disconnect)) {
      loop.fail(conn, "the server left the namespace");
    } else {
      scenario.message(loop, conn, a, offset, length, now);
    }
  }

  static boolean startsWith(byte[] a, int offset, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] a, int offset, int length) {
    return new String(a, offset, Math.min(length, 200), StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
