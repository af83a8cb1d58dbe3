package dev.capws.bench;

import static dev.capws.bench.Log.log;

import java.io.IOException;

/** The scenarios' WebSocket clients: engines as the options say, and the set-up and problem report they share. */
final class Clients {

  private Clients() {
  }

  /**
   * Plain WebSocket clients of --ws; with --kind socket.io, Socket.IO clients of Engine.IO's endpoint on the same host
   * and port that join --ws's path as their namespace: the scenario's handler sees the namespace's packets.
   */
  static WsEngine engine(Options options, WsEngine.Handler handler) throws IOException {
    if (options.socketIo) {
      return new WsEngine(SocketIoSession.engineUri(options.ws), options.threads,
          new SocketIoSession(SocketIoSession.namespace(options.ws), handler), options.handshakeTimeoutMillis);
    }
    return new WsEngine(options.ws, options.threads, handler, options.handshakeTimeoutMillis);
  }

  /**
   * Connects all clients with at most --connect-window handshakes in flight, so the server's accept backlog does not
   * overflow; any failure ends the run, since the scenario would measure fewer clients than asked for.
   */
  static void connectAll(Options options, WsEngine engine, int clients) throws InterruptedException {
    long start = System.nanoTime();
    engine.connect(clients, options.connectWindow);
    double seconds = (System.nanoTime() - start) / 1e9;
    int failed = engine.failed.get();
    log("connected %d of %d clients in %.2f s (%.0f/s)", engine.opened.get(), clients, seconds,
        engine.opened.get() / seconds);
    if (failed > 0) {
      reportProblems(engine);
      engine.shutdown(5000);
      throw new SetupException(failed + " of " + clients + " connections failed, first: " + engine.problems.peek());
    }
  }

  static void reportProblems(WsEngine engine) {
    if (engine.closedByServer.get() > 0) {
      log("the server closed %d connections", engine.closedByServer.get());
    }
    for (String problem : engine.problems) {
      log("  problem: %s", problem);
    }
  }
}
