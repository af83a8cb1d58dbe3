package dev.capws.bench;

import static dev.capws.bench.Log.log;

/**
 * Load generator for any server that speaks the {@code json} protocol and serves the tutorial's model (our sample, or
 * the tutorial on the Node plugin). Scenarios: {@code fanout} ({@link EventFanOut}), {@code calls}
 * ({@link CallRoundTrips}), {@code idle} ({@link IdleFootprint}), {@code connect} ({@link ConnectRate}),
 * {@code recovery} ({@link RecoveryReplay}); see bench/README.md. Progress goes to stderr; the last line of stdout is
 * one JSON object with the results ({@link Result}).
 *
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.capws.bench.Bench fanout --ws ws://localhost:4101/ws/chat \
 *      --http http://localhost:4101 --pid 12345 --clients 1000 --events 500
 * </pre>
 *
 * <p>Exit codes: 0 measured; 1 measured, but frames were lost or duplicated (fanout) or connections failed (connect);
 * 2 the command line is wrong, or the run could not measure (an error result).
 *
 * <p>The WebSocket clients are our own RFC 6455 client on raw java.nio ({@link WsEngine}), all on one or two selector
 * threads, so 15000 clients cost a few MB and little CPU. OData creates go over plain HTTP/1.1 keep-alive connections
 * ({@link HttpPoster}). With {@code --kind socket.io} the same clients speak Socket.IO to a server of that kind
 * ({@link SocketIoSession}); their results say {@code "kind":"socket.io"}.
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) {
    long selfStart = Proc.cpuTicks("self");
    String name = args.length == 0 ? "" : args[0];
    int exit;
    Options options = null;
    try {
      options = new Options(args);
      Result result = scenario(options).run();
      System.out.println(labelled(result, options).toJson());
      exit = result.exitCode();
    } catch (Options.UsageException e) {
      System.err.println(e.getMessage() + "\n" + Options.usage());
      System.exit(2);
      return;
    } catch (SetupException e) {
      log("FAILED: " + e.getMessage());
      System.out.println(labelled(Result.error(name, e.getMessage()), options).toJson());
      exit = 2;
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println(labelled(Result.error(name, String.valueOf(e)), options).toJson());
      exit = 2;
    }
    log("generator cpu in all (incl. JIT and start-up): %.0f ms", (Proc.cpuTicks("self") - selfStart) * 10.0);
    System.out.flush();
    System.exit(exit);
  }

  /** A Socket.IO run says so ("kind":"socket.io" after "scenario"); plain WebSocket runs stay as they always were. */
  private static Result labelled(Result result, Options options) {
    return options != null && options.socketIo ? result.kind("socket.io") : result;
  }

  private static Scenario scenario(Options options) {
    return switch (options.scenario) {
      case "fanout" -> new EventFanOut(options);
      case "calls" -> new CallRoundTrips(options);
      case "idle" -> new IdleFootprint(options);
      case "connect" -> new ConnectRate(options);
      case "recovery" -> new RecoveryReplay(options);
      default -> throw new Options.UsageException("unknown scenario " + options.scenario);
    };
  }
}
