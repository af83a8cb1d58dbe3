package dev.capws.websocket.internal.broker;

import java.time.Duration;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;

/**
 * One connection to Redis that comes back after Redis went away: it is opened on first use, dropped on any failure
 * and opened again by the next use, so the threads that use it decide themselves how long to wait in between. Commands
 * fail fast while Redis is unreachable (no queueing inside the client). Thread-safe, except that a blocking read
 * needs a link of its own.
 */
final class RedisLink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final RedisClient client;
  private final String name;
  private StatefulRedisConnection<String, String> connection;
  private boolean reachable = true;

  /**
   * @param resources the threads of Lettuce, shared by the links of one broker (closing a link leaves them)
   * @param timeout   how long one command may take (a blocking read's own wait comes on top)
   */
  RedisLink(ClientResources resources, String uri, String name, Duration timeout) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(timeout);
    this.client = RedisClient.create(resources, redisUri);
    this.name = name;
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false) // the users of the link reconnect, and know that they did
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
  }

  /** Runs commands; any failure closes the connection and is rethrown. */
  <T> T run(Function<RedisCommands<String, String>, T> commands) {
    StatefulRedisConnection<String, String> open = open();
    try {
      T result = commands.apply(open.sync());
      markReachable();
      return result;
    } catch (RuntimeException e) {
      drop(open, e);
      throw e;
    }
  }

  private synchronized StatefulRedisConnection<String, String> open() {
    if (connection == null || !connection.isOpen()) {
      try {
        connection = client.connect();
      } catch (RuntimeException e) {
        markUnreachable(e);
        throw e;
      }
    }
    return connection;
  }

  private synchronized void drop(StatefulRedisConnection<String, String> failed, RuntimeException cause) {
    if (connection == failed) {
      connection = null;
      failed.closeAsync();
    }
    markUnreachable(cause);
  }

  /** One line per outage, not per attempt. */
  private synchronized void markUnreachable(RuntimeException cause) {
    if (reachable) {
      reachable = false;
      LOG.warn("Redis ({}) is unreachable: {}", name, cause.getMessage());
    }
  }

  private synchronized void markReachable() {
    if (!reachable) {
      reachable = true;
      LOG.info("Redis ({}) is reachable again", name);
    }
  }

  synchronized boolean reachable() {
    return reachable;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
