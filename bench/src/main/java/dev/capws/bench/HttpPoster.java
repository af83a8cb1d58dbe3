package dev.capws.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One plain HTTP/1.1 keep-alive connection that POSTs JSON and reads the response (Content-Length or chunked). Not
 * thread-safe: one per posting thread. Reconnects when the server closes the connection (Tomcat does after 100
 * requests; Node after 5 s idle).
 */
final class HttpPoster implements Closeable {

  private final String host;
  private final int port;
  private final String hostHeader;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean reused;
  private boolean responseStarted;
  /** The response body of the last request (kept small; for error messages). */
  String lastBody = "";

  HttpPoster(URI base) {
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
    this.hostHeader = host + ":" + port;
  }

  /** POSTs a JSON body to path and returns the status code. */
  int post(String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
        + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    boolean kept = socket != null;
    try {
      responseStarted = false;
      return exchange(request);
    } catch (IOException e) {
      // A kept-alive connection the server had already closed: nothing was processed, so send it once more.
      if (!kept || responseStarted) {
        close();
        throw e;
      }
      close();
      return exchange(request);
    }
  }

  private int exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout(60_000);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = socket.getOutputStream();
      reused = false;
    }
    out.write(request);
    out.flush();
    String status = line(true);
    responseStarted = true;
    boolean wasReused = reused;
    reused = true;
    if (!status.startsWith("HTTP/1.")) {
      close();
      throw new IOException("bad status line: " + status + (wasReused ? " (reused connection)" : ""));
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = status.startsWith("HTTP/1.0");
    for (String header = line(false); !header.isEmpty(); header = line(false)) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" -> closeAfter = value.contains("close") || (closeAfter && !value.contains("keep-alive"));
        default -> { }
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        String size = line(false);
        int semicolon = size.indexOf(';');
        long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (chunk == 0) {
          while (!line(false).isEmpty()) { // trailers
          }
          break;
        }
        read(chunk, body);
        line(false);
      }
    } else if (length >= 0) {
      read(length, body);
    } else if (code != 204 && code != 304 && code >= 200) {
      in.transferTo(body); // neither length nor chunks: the body ends with the connection
      closeAfter = true;
    }
    lastBody = body.size() > 2000 ? body.toString(StandardCharsets.UTF_8).substring(0, 2000)
        : body.toString(StandardCharsets.UTF_8);
    if (closeAfter) {
      close();
    }
    return code;
  }

  private void read(long n, ByteArrayOutputStream body) throws IOException {
    byte[] buffer = new byte[8192];
    while (n > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (r < 0) {
        throw new IOException("connection closed in the middle of a response body");
      }
      if (body.size() < 1_000_000) {
        body.write(buffer, 0, r);
      }
      n -= r;
    }
  }

  /** A CRLF-terminated line; EOFException if the connection ends before the first byte of a status line. */
  private String line(boolean statusLine) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (statusLine && line.length() == 0) {
          close();
          throw new EOFException("connection closed by the server");
        }
        throw new IOException("connection closed in the middle of a response");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
