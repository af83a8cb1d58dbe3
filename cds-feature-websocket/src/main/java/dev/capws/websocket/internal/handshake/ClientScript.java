package dev.capws.websocket.internal.handshake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser client, served from the plugin jar at {@code <prefix>/client.js} (as Socket.IO serves its client), so
 * a page of the application loads it from the server it talks to, whatever version that server runs.
 */
public final class ClientScript {

  /** Where the script lies in the jar. */
  static final String RESOURCE = "/dev/capws/websocket/client.js";

  private final String path;
  private final byte[] body;
  private final String etag;

  private ClientScript(String path, byte[] body) {
    this.path = path;
    this.body = body;
    this.etag = "\"" + sha256(body).substring(0, 16) + "\"";
  }

  /** The script served at {@code prefix + "/client.js"}; {@code prefix} is normalized (no trailing slash). */
  public static ClientScript at(String prefix) {
    try (InputStream in = ClientScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the plugin jar");
      }
      return new ClientScript(prefix + "/client.js", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String path() {
    return path;
  }

  /**
   * Writes the script. It is revalidated on every load (no-cache with an ETag): a page must not keep an old client
   * after the server was updated, and an unchanged script costs a 304.
   */
  void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", "no-cache");
    if (etag.equals(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setContentType("text/javascript;charset=UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
