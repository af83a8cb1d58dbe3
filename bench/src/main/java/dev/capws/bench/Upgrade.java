package dev.capws.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP/1.1 upgrade of a client connection: the request with a fresh Sec-WebSocket-Key, and the check of the
 * server's answer (101 and the matching Sec-WebSocket-Accept).
 */
final class Upgrade {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  /** Everything of the request up to the key, the same for every connection. */
  private final byte[] requestHead;

  Upgrade(URI uri, int port) {
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.requestHead = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The request for conn with a fresh key; conn remembers the accept value the server has to answer with. */
  ByteBuffer request(Conn conn) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    conn.expectedAccept = accept(key);
    byte[] tail = (key + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer request = ByteBuffer.allocate(requestHead.length + tail.length);
    request.put(requestHead).put(tail).flip();
    return request;
  }

  /** Where the response headers in the (flipped) buffer end, as an index into its array; -1 while incomplete. */
  static int headersEnd(ByteBuffer in) {
    return Bytes.indexOf(in.array(), in.arrayOffset() + in.position(), in.arrayOffset() + in.limit(), HEADER_END);
  }

  /** Why the response headers a[start, end) refuse the upgrade of conn; null when they accept it. */
  static String refusal(Conn conn, byte[] a, int start, int end) {
    String head = new String(a, start, end - start, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    if (!lines[0].startsWith("HTTP/1.1 101")) {
      return "upgrade refused: " + lines[0];
    }
    String accept = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
        accept = lines[i].substring(colon + 1).trim();
      }
    }
    return conn.expectedAccept.equals(accept) ? null : "wrong Sec-WebSocket-Accept: " + accept;
  }

  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
