package dev.capws.websocket.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.RedisServer;

/**
 * S1: every targeting rule of {@link TargetingRules} across instances. Events (and the barriers) are emitted on
 * instance 0, OData requests go to instance 0, the clients are on instance 1: what reaches them came through Redis,
 * with its targeting applied by instance 1 to its own clients.
 */
@DisplayName("S1: the targeting rules across instances (emitted on instance 0, clients on instance 1)")
class ScaleOutTargetingTest extends TargetingRules {

  static RedisServer redis;
  static Instances instances;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    instances = new Instances(redis, "scale-out-targeting");
    instances.start();
    instances.start();
  }

  @AfterAll
  static void stop() {
    instances.close();
    redis.close();
  }

  @Override
  protected CdsRuntime emitter() {
    return instances.runtime(0);
  }

  @Override
  protected int clientPort() {
    return instances.port(1);
  }

  @Override
  protected int odataPort() {
    return instances.port(0);
  }
}
