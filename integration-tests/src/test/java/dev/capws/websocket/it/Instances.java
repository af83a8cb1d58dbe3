package dev.capws.websocket.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.test.RedisServer;

/**
 * Several instances of the test application in this JVM, each with its own web server on a random port and its own
 * H2 database, all with one broker (the Redis broker on one real Redis server, or an application's broker engine):
 * what a scaled-out deployment looks like to the clients. Each instance can be stopped on its own.
 */
final class Instances implements AutoCloseable {

  private final String name;
  private final List<String> broker;
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  /** @param keyPrefix Redis keys of this group of instances, so that groups do not see each other's streams */
  Instances(RedisServer redis, String keyPrefix) {
    this(keyPrefix, "cds.websocket.broker=redis", "cds.websocket.redis.uri=" + redis.uri(),
        "cds.websocket.redis.key-prefix=" + keyPrefix);
  }

  /**
   * @param name   of this group of instances (their databases)
   * @param broker the properties that choose and set up the broker
   */
  Instances(String name, String... broker) {
    this.name = name;
    this.broker = List.of(broker);
  }

  /** Starts one more instance; returns its index. */
  int start(String... extraProperties) {
    int index = contexts.size();
    List<String> properties = new ArrayList<>(List.of("server.port=0",
        "spring.datasource.url=jdbc:h2:mem:" + name + "-" + index + ";DB_CLOSE_DELAY=-1"));
    properties.addAll(broker);
    properties.addAll(List.of(extraProperties));
    // As command-line arguments: they win over application.yaml (default properties would not, and every instance
    // would share, and re-create, the one database that application.yaml names).
    // One value per key (the extra properties win): a key given twice on a command line gets both values.
    Map<String, String> byKey = new LinkedHashMap<>();
    properties.forEach(property -> byKey.put(property.substring(0, property.indexOf('=')), property));
    contexts.add(new SpringApplicationBuilder(TestApplication.class)
        .run(byKey.values().stream().map(property -> "--" + property).toArray(String[]::new)));
    return index;
  }

  int port(int index) {
    return ((ServletWebServerApplicationContext) contexts.get(index)).getWebServer().getPort();
  }

  CdsRuntime runtime(int index) {
    return contexts.get(index).getBean(CdsRuntime.class);
  }

  <T> T bean(int index, Class<T> type) {
    return contexts.get(index).getBean(type);
  }

  /** Stops an instance, as a deployment would: its clients are closed with 1001. */
  void stop(int index) {
    contexts.get(index).close();
  }

  @Override
  public void close() {
    contexts.forEach(ConfigurableApplicationContext::close);
  }
}
