package dev.capws.websocket.internal.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sap.cds.services.environment.CdsEnvironment;

/**
 * One client service, from {@code cds.websocket.clients.<name>}.
 *
 * @param name         the CAP service's name
 * @param url          {@code ws://} or {@code wss://} URL of the other application's service
 * @param format       {@code json} (frames {@code {"event","data"}}) or anything else: text messages as they are,
 *                     arriving as the event {@code message}
 * @param headers      sent with every connect (e.g. {@code Authorization})
 * @param replyTimeout how long {@code call} waits for the reply
 * @param kind         {@code ws} (plain WebSocket, as the Node plugin's {@code websocket-client-ws}) or
 *                     {@code socket.io} ({@code websocket-client-socket.io}; WebSocket transport only)
 * @param enginePath   for {@code socket.io}: where the server's Engine.IO endpoint is ({@code /socket.io/})
 */
public record ClientSettings(String name, URI url, String format, Map<String, String> headers,
    Duration replyTimeout, String kind, String enginePath) {

  public static final String WS = "ws";
  public static final String SOCKET_IO = "socket.io";

  static final String PREFIX = "cds.websocket.clients";

  public boolean socketIo() {
    return SOCKET_IO.equalsIgnoreCase(kind);
  }

  public boolean json() {
    return "json".equalsIgnoreCase(format);
  }

  /** Every configured client; a client without a {@code url} is a mistake the start reports. */
  public static List<ClientSettings> from(CdsEnvironment env) {
    Map<?, ?> clients;
    try {
      clients = env.getProperty(PREFIX, Map.class, null);
    } catch (RuntimeException none) { // nothing configured (or an environment that cannot bind maps)
      return List.of();
    }
    List<ClientSettings> settings = new ArrayList<>();
    if (clients == null) {
      return settings;
    }
    clients.forEach((name, value) -> {
      if (!(value instanceof Map<?, ?> client) || client.get("url") == null) {
        throw new IllegalStateException(PREFIX + "." + name + ".url is missing: the ws:// or wss:// URL of the "
            + "service to connect to");
      }
      URI url = URI.create(String.valueOf(client.get("url")));
      String kind = client.get("kind") == null ? WS : String.valueOf(client.get("kind")).trim();
      if (!WS.equalsIgnoreCase(kind) && !SOCKET_IO.equalsIgnoreCase(kind)) {
        throw new IllegalStateException(PREFIX + "." + name + ".kind is ws or socket.io, not " + kind);
      }
      List<String> schemes = SOCKET_IO.equalsIgnoreCase(kind) ? List.of("http", "https", "ws", "wss")
          : List.of("ws", "wss");
      if (!schemes.contains(url.getScheme())) {
        throw new IllegalStateException(PREFIX + "." + name + ".url must start with " + String.join("://, ", schemes)
            + "://: " + url);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      if (client.get("headers") instanceof Map<?, ?> given) {
        given.forEach((header, text) -> headers.put(String.valueOf(header), String.valueOf(text)));
      }
      Object format = client.get("format");
      Object timeout = client.get("reply-timeout");
      Object enginePath = client.get("engine-path");
      settings.add(new ClientSettings(String.valueOf(name), url, format == null ? "json" : String.valueOf(format),
          Map.copyOf(headers), Duration.ofMillis(timeout == null ? 10_000 : Long.parseLong(String.valueOf(timeout))),
          kind, enginePath == null ? "/socket.io/" : String.valueOf(enginePath)));
    });
    return settings;
  }
}
