package dev.capws.websocket.it;

import static dev.capws.websocket.test.WsClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import cds.gen.hookservice.HookService;

import dev.capws.websocket.api.WebSocketClients;
import dev.capws.websocket.api.WebSockets;
import dev.capws.websocket.test.ClientFrames;
import dev.capws.websocket.test.RawSocket;

/**
 * Clients that try to make the server hold memory or time on promises: frame headers that announce data never sent,
 * messages that never end, pings never read, sockets never read, closes never answered. Each is answered by a limit of docs/security.md, and a bystander on the
 * same service is served throughout. No rate limit here, so that only the limit under test answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "cds.websocket.message-timeout=1000", "cds.websocket.max-messages-per-second=0",
    "server.tomcat.connection-timeout=1000" })
class HostileClientsTest extends WithBystander {

  @Autowired
  ApplicationContext context;

  @Autowired
  HookService hookService;

  /** A masked text frame header announcing 1 MiB (the default max-message-size): mask 1 2 3 4, no payload. */
  private static final byte[] ANNOUNCES_1_MIB = { (byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2,
      3, 4 };

  /** Bytes allocated so far by every live thread of this JVM (the server runs in it). */
  private static long allocated() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(b -> b > 0).sum();
  }

  @Test
  @DisplayName("Limits: 100 headers announcing 1 MiB and no payload cost next to nothing; each closes with 1008 in time")
  void announcedNotSent() {
    List<RawSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        sockets.add(raw());
      }
      long before = allocated();
      long start = System.nanoTime();
      sockets.forEach(socket -> socket.sendBytes(ANNOUNCES_1_MIB));
      for (RawSocket socket : sockets) {
        assertThat(socket.awaitCloseCode()).isEqualTo(1008); // the message timeout (1 s here)
      }
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      long allocatedMiB = (allocated() - before) >> 20;
      // Sized from the header, these were 100 MiB of buffers; grown from data, they are none.
      assertThat(allocatedMiB).as("MiB allocated while 100 clients announced 1 MiB each").isLessThan(20);
      assertThat(elapsedMillis).isBetween(900L, 8_000L);
    } finally {
      sockets.forEach(RawSocket::close);
    }
  }

  @Test
  @DisplayName("Limits: a fragmented message that never ends, kept alive with pings, closes with 1008 in time")
  void fragmentKeptAlive() {
    try (RawSocket raw = raw()) {
      raw.send(RawSocket.TEXT, "{\"event\":\"whoAmI\",".getBytes(StandardCharsets.UTF_8), false, true);
      long start = System.nanoTime();
      int code = 0;
      while (code == 0) {
        raw.send(RawSocket.PING, "alive".getBytes(StandardCharsets.UTF_8), true, true);
        RawSocket.Frame frame = raw.readAny();
        if (frame.opcode() == RawSocket.PING) {
          continue; // the server's heartbeat (every 30 s, this class may run longer): not an answer to ours
        }
        if (frame.opcode() == RawSocket.CLOSE) {
          code = frame.closeCode();
        } else {
          assertThat(frame.opcode()).isEqualTo(RawSocket.PONG);
          assertThat(System.nanoTime() - start).as("still open after 5 s").isLessThan(5_000_000_000L);
          LockSupport.parkNanos(50_000_000); // the client's pace: a ping every 50 ms, as a keep-alive would
        }
      }
      assertThat(code).isEqualTo(1008);
    }
  }

  @Test
  @DisplayName("Limits: a client that pings without reading gets one pong for the latest ping, not one per ping")
  void pingsWithoutReading() {
    int pings = 150_000;
    byte[] payload = new byte[125];
    try (RawSocket raw = raw()) {
      // 150,000 pings of 125 bytes: 19 MB of pongs, more than the TCP buffers of one loopback connection hold, so the
      // server's writes wait and the pongs that cannot leave replace each other.
      byte[] batch = new byte[1000 * ClientFrames.frameLength(payload.length, true)];
      for (int sent = 0; sent < pings; sent += 1000) {
        int at = 0;
        for (int i = 0; i < 1000; i++) {
          int number = sent + i;
          payload[0] = (byte) (number >> 16);
          payload[1] = (byte) (number >> 8);
          payload[2] = (byte) number;
          byte[] frame = ClientFrames.masked(RawSocket.PING, payload);
          System.arraycopy(frame, 0, batch, at, frame.length);
          at += frame.length;
        }
        raw.sendBytes(batch);
      }
      int pongs = 0;
      int last;
      do {
        RawSocket.Frame pong = raw.read();
        assertThat(pong.opcode()).isEqualTo(RawSocket.PONG);
        pongs++;
        byte[] p = pong.payload();
        last = (p[0] & 0xFF) << 16 | (p[1] & 0xFF) << 8 | p[2] & 0xFF;
      } while (last != pings - 1);
      assertThat(pongs).as("pongs for %d pings", pings).isLessThan(pings);
    }
  }

  @Test
  @DisplayName("Limits: a handshake request that stops halfway is dropped by Tomcat after its connection-timeout")
  void handshakeStalled() throws Exception {
    assumeTrue(container().equals("Tomcat"), () -> "the deadline is Tomcat's server.tomcat.connection-timeout; "
        + container() + "'s own request timeouts are not configured or tested here");
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      long start = System.nanoTime();
      socket.getOutputStream().write("GET /ws/hook HTTP/1.1\r\nHost: localhost\r\nUpgrade: webs"
          .getBytes(StandardCharsets.ISO_8859_1));
      // Tomcat reads the request before any of our code runs: its timeout is what ends this (the end of the stream
      // or a reset, possibly after an error response)
      try {
        while (socket.getInputStream().read() >= 0) {
          // an error response, if any
        }
      } catch (java.net.SocketException e) {
        // reset: dropped all the same
      }
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 5_000L);
    }
  }

  @Test
  @DisplayName("Limits: Tomcat's connection-timeout counts from the last byte: a trickled handshake stays open")
  void handshakeTrickled() throws Exception {
    assumeTrue(container().equals("Tomcat"), () -> "tests how Tomcat's server.tomcat.connection-timeout counts (from "
        + "the last byte); " + container() + "'s own request timeouts are not configured here: nothing to show");
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(300);
      byte[] request = "GET /ws/hook HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          .getBytes(StandardCharsets.ISO_8859_1);
      long start = System.nanoTime();
      for (byte b : request) { // one byte every 300 ms, for 3 times the timeout
        socket.getOutputStream().write(b);
        try {
          assertThat(socket.getInputStream().read()).as("dropped after %d ms", (System.nanoTime() - start) / 1_000_000)
              .isGreaterThanOrEqualTo(0);
          break; // an answer: the request was refused
        } catch (java.net.SocketTimeoutException e) {
          // nothing yet, as expected: the read timeout is the client's pace
        }
        if (System.nanoTime() - start > 3_000_000_000L) {
          return; // still open after three times the timeout: documented in security.md
        }
      }
      throw new AssertionError("the handshake ended before 3 s");
    }
  }

  /** Heap in use after a full collection (System.gc() is one with G1's defaults), in MiB. */
  private static long liveHeapMiB() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  @Test
  @DisplayName("Limits: clients that stop mid-message and ignore the close leave nothing held once the close times out")
  void halfMessageReleased() {
    WebSocketClients clients = WebSockets.clients(runtime);
    List<RawSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        sockets.add(raw());
      }
      long before = liveHeapMiB();
      byte[] almost = new byte[(1 << 20) - 1]; // mask 1 2 3 4: the payload is whatever this unmasks to
      for (RawSocket socket : sockets) {
        socket.sendBytes(ANNOUNCES_1_MIB).sendBytes(almost);
      }
      for (RawSocket socket : sockets) {
        assertThat(socket.awaitCloseCode()).isEqualTo(1008); // never answered: the close times out after 5 s
      }
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (clients.count() > 1 && System.nanoTime() < deadline) { // the bystander stays
        LockSupport.parkNanos(10_000_000);
      }
      assertThat(clients.count()).isEqualTo(1);
      // 30 MiB were held while the messages were open; the sockets are still open (Tomcat keeps them until the
      // client acts), but what they sent is not
      assertThat(liveHeapMiB() - before).as("MiB still held").isLessThan(15);
    } finally {
      sockets.forEach(RawSocket::close);
    }
  }

  /** With Content-Length: 0, without which Jetty 12.1 hands the upgraded socket over at its end (containers.md). */
  private RawSocket rawWithLength() {
    return rawWithLength("alice");
  }

  private RawSocket rawWithLength(String user) {
    Map<String, String> headers = new HashMap<>(basic(user, user));
    headers.put("Content-Length", "0");
    return RawSocket.upgrade(port, "/ws/hook", headers);
  }

  /** Which container serves this test: Tomcat, Undertow or Jetty (the root pom's profiles). */
  private String container() {
    return ((ServletWebServerApplicationContext) context).getWebServer().getClass().getSimpleName()
        .replace("ServletWebServer", "").replace("WebServer", "");
  }

  /**
   * The server's end of the TCP connection from this client port, as the kernel lists it: {state, inode}; inode 0
   * once no process holds it (closed, the kernel still sending what was left), null once the kernel dropped it.
   */
  private String[] serverEnd(int clientPort) throws IOException {
    String[] f = tcpEntry(port, clientPort);
    return f == null ? null : new String[] { f[3], f[9] };
  }

  /**
   * Bytes the client sent that the server process has not read yet: in the client's send queue or the server's
   * receive queue, as the kernel lists them.
   */
  private long unreadBytes(int clientPort) throws IOException {
    String[] client = tcpEntry(clientPort, port);
    String[] server = tcpEntry(port, clientPort);
    long sending = client == null ? 0 : Long.parseLong(client[4].substring(0, client[4].indexOf(':')), 16);
    long receiving = server == null ? 0 : Long.parseLong(server[4].substring(server[4].indexOf(':') + 1), 16);
    return sending + receiving;
  }

  /** Waits (at most 5 s) until the server process has read every byte the client sent. */
  private void awaitAllRead(RawSocket client) throws IOException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (unreadBytes(client.localPort()) > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
    assertThat(unreadBytes(client.localPort())).as("the server read what the client sent").isZero();
  }

  /** The kernel's line for the TCP connection between these local and remote ports, split in fields, or null. */
  private static String[] tcpEntry(int localPort, int remotePort) throws IOException {
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) { // after the header
        String[] f = line.trim().split("\\s+");
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (local == localPort && remote == remotePort) {
          return f;
        }
      }
    }
    return null;
  }

  /**
   * Events of 64 KiB to the tenant until the socket of a client that does not read is surely full: 6.4 MB, more
   * than the TCP buffers of a loopback connection whose reader reads nothing, less than its outbound limits (1000
   * frames, 16 MiB).
   */
  private void fillSockets() {
    String padding = "x".repeat(64 * 1024);
    for (int i = 0; i < 100; i++) {
      String text = "fill-" + i + ":" + padding;
      runtime.requestContext().systemUser("t1").run(context -> {
        hookService.emit(HookEvents.ping(text));
      });
      assertThat(bystander.next("ping").at("/data/text").asText()).startsWith("fill-" + i + ":");
    }
  }

  private static String emitPing(String text, int id) {
    return "{\"event\":\"emitPing\",\"data\":{\"text\":\"" + text + "\"},\"id\":" + id + "}";
  }

  /**
   * Mallory, who reads nothing: once her socket is full she sends these calls, and the server reads them all. The
   * caller closes her socket.
   */
  private RawSocket sentWhileFull(IntFunction<String> call, int count) throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the kernel's socket table (Linux) shows what was read");
    RawSocket stalled = rawWithLength("mallory");
    fillSockets();
    for (int i = 0; i < count; i++) {
      stalled.sendText(call.apply(i));
    }
    awaitAllRead(stalled);
    return stalled;
  }

  @Test
  @DisplayName("Limits: the calls of a client whose socket is full wait, they do not run; once it reads, they run "
      + "in the order sent")
  void heldWhileNotReading() throws IOException {
    try (RawSocket stalled = sentWhileFull(i -> emitPing("held-" + i, i), 3)) {
      bystander.send(Map.of("event", "emitPing", "data", Map.of("text", "control")));
      assertThat(bystander.next("ping").at("/data/text").asText()).as("no held call ran").isEqualTo("control");

      String last;
      int frames = 0;
      do { // mallory reads again: the fills, control, then what her calls emitted and their replies
        last = stalled.read().text();
        frames++;
      } while (!last.contains("held-2") && frames < 300);
      assertThat(last).contains("held-2");
      for (int i = 0; i < 3; i++) {
        assertThat(bystander.next("ping").at("/data/text").asText()).isEqualTo("held-" + i);
      }
    }
  }

  @Test
  @DisplayName("Limits: a client that sends more than 64 KiB while its socket is full is closed with 1008; none of "
      + "what it sent runs")
  void tooMuchWithoutReading() throws IOException {
    String text = "x".repeat(16 * 1024);
    try (RawSocket stalled = sentWhileFull(i -> emitPing("over-" + i + ":" + text, i), 5)) {
      // reading now, it gets what was being written, then the close (which dropped the rest of its queue)
      assertThat(stalled.awaitCloseCode()).isEqualTo(1008);
      bystander.send(Map.of("event", "emitPing", "data", Map.of("text", "control")));
      assertThat(bystander.next("ping").at("/data/text").asText()).as("none of its calls ran").isEqualTo("control");
    }
  }

  @Test
  @DisplayName("Limits: a client that stopped reading is dropped when its close times out; Undertow and Jetty release "
      + "its socket then, Tomcat only at the client's next move")
  void stalledSocketReleased() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the kernel's socket table (Linux) shows the server's end");
    WebSocketClients clients = WebSockets.clients(runtime);
    try (RawSocket stalled = rawWithLength()) {
      int clientPort = stalled.localPort();
      String padding = "x".repeat(64 * 1024); // more than outbound-queue-bytes (16 MiB) and the TCP buffers, in time
      for (int i = 0; i < 1000 && HookEvents.connectionsOf(clients, "t1", "alice") > 0; i++) {
        String text = i + ":" + padding;
        runtime.requestContext().systemUser("t1").run(context -> {
          hookService.emit(HookEvents.ping(text));
        });
        assertThat(bystander.next("ping").at("/data/text").asText()).startsWith(i + ":");
      }
      // closed with 1013 (which cannot reach it), then dropped when the close times out (5 s)
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (HookEvents.connectionsOf(clients, "t1", "alice") > 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
      }
      assertThat(HookEvents.connectionsOf(clients, "t1", "alice")).isZero();
      String[] end = serverEnd(clientPort);
      deadline = System.nanoTime() + 2_000_000_000L;
      while (end != null && !"0".equals(end[1]) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(50_000_000);
        end = serverEnd(clientPort);
      }
      if (container().equals("Tomcat")) {
        // WebConnection.close() off Tomcat's threads: the socket stays until the client reads, closes or vanishes
        assertThat(end).as("Tomcat's end").isNotNull();
        assertThat(end[0]).as("Tomcat's end: established").isEqualTo("01");
        assertThat(end[1]).as("Tomcat's end: held by the process").isNotEqualTo("0");
      } else {
        // closed at once; the kernel still holds what was not sent (FIN_WAIT1, no process), no reset
        assertThat(end == null || "0".equals(end[1])).as("%s's end released: %s", container(), Arrays.toString(end))
            .isTrue();
      }
    }
  }

  @Test
  @DisplayName("Limits: a client that reads but never answers the close: Undertow and Jetty end its TCP connection "
      + "when the close times out, Tomcat does not")
  void unansweredCloseEndsConnection() {
    try (RawSocket half = rawWithLength()) {
      long start = System.nanoTime();
      half.send(RawSocket.TEXT, "{\"event\":".getBytes(StandardCharsets.UTF_8), false, true);
      assertThat(half.awaitCloseCode()).isEqualTo(1008); // the message timeout, 1 s here
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 3_000L);
      boolean ended = half.awaitEnd(Duration.ofSeconds(8)); // the close timeout is 5 s
      assertThat(ended).as("TCP connection ended by %s", container()).isEqualTo(!container().equals("Tomcat"));
    }
  }
}
