package dev.capws.websocket.internal.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.environment.ApplicationInfo;
import com.sap.cds.services.environment.CdsEnvironment;
import com.sap.cds.services.environment.CdsProperties;
import com.sap.cloud.environment.servicebinding.api.DefaultServiceBinding;
import com.sap.cloud.environment.servicebinding.api.ServiceBinding;

import dev.capws.websocket.internal.broker.FanOutBound;
import dev.capws.websocket.internal.broker.RecoverySettings;
import dev.capws.websocket.internal.broker.RedisSettings;

/**
 * The broker, Redis and recovery settings as read from CAP's environment. The environment is a stand-in that holds
 * properties as text (as application.yaml and command-line arguments give them) and converts them to the type asked
 * for, and the service bindings a test gives it.
 */
class WebSocketSettingsTest {

  /** CAP's environment, reduced to what the settings read. */
  private static final class Env implements CdsEnvironment {
    private final Map<String, String> properties = new HashMap<>();
    private final List<ServiceBinding> bindings;

    Env(List<ServiceBinding> bindings, String... pairs) {
      this.bindings = bindings;
      for (int i = 0; i < pairs.length; i += 2) {
        properties.put(pairs[i], pairs[i + 1]);
      }
    }

    @Override
    public CdsProperties getCdsProperties() {
      return new CdsProperties();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getProperty(String key, Class<T> type, T defaultValue) {
      String value = properties.get(key);
      if (value == null) {
        return defaultValue;
      }
      Object converted = type == Boolean.class ? Boolean.valueOf(value) : type == Integer.class
          ? Integer.valueOf(value) : type == Long.class ? Long.valueOf(value) : value;
      return (T) converted;
    }

    @Override
    public Stream<ServiceBinding> getServiceBindings() {
      return bindings.stream();
    }

    @Override
    public ApplicationInfo getApplicationInfo() {
      return null;
    }
  }

  private static WebSocketSettings read(String... pairs) {
    return WebSocketSettings.from(new Env(List.of(), pairs));
  }

  private static ServiceBinding binding(String label, List<String> tags, Map<String, Object> credentials) {
    DefaultServiceBinding.TerminalBuilder builder = DefaultServiceBinding.builder().copy(Map.of())
        .withName("my-" + label).withTags(tags).withCredentials(credentials);
    return (label == null ? builder : builder.withServiceName(label)).build();
  }

  @Test
  @DisplayName("Scale-out: without settings or bindings: the local broker, the default Redis and recovery settings")
  void defaults() {
    WebSocketSettings settings = read();
    assertThat(settings.broker()).isEqualTo(WebSocketSettings.LOCAL).isEqualTo("local");
    assertThat(settings.redis()).isEqualTo(RedisSettings.defaults());
    assertThat(settings.redis()).isEqualTo(new RedisSettings(null, "cds-websocket", 10_000, 10_000, 60_000));
    assertThat(settings.recovery()).isEqualTo(RecoverySettings.defaults());
    assertThat(settings.recovery()).isEqualTo(new RecoverySettings(false, 1000, 300_000));
  }

  @Test
  @DisplayName("Limits: cds.websocket.message-timeout is read (30 s by default, under a minute)")
  void messageTimeout() {
    assertThat(read().limits().messageTimeoutMillis()).isEqualTo(30_000);
    assertThat(read("cds.websocket.message-timeout", "1500").limits().messageTimeoutMillis()).isEqualTo(1500);
    assertThat(read("cds.websocket.message-timeout", "0").limits().messageTimeoutMillis()).isZero();
  }

  @Test
  @DisplayName("B2: the fan-out's bound: 16 events and 20 ms of expected delivery by default; both settings are read")
  void fanOutBound() {
    assertThat(read().fanOut()).isEqualTo(new FanOutBound(16, 20));
    assertThat(read("cds.websocket.fan-out-queue", "4", "cds.websocket.fan-out-delay", "0").fanOut())
        .isEqualTo(new FanOutBound(4, 0));
    assertThat(read("cds.websocket.fan-out-delay", "50").fanOut()).isEqualTo(new FanOutBound(16, 50));
  }

  @Test
  @DisplayName("Scale-out: cds.websocket.broker: redis (in any case, trimmed), or local")
  void broker() {
    assertThat(read("cds.websocket.broker", "redis").broker()).isEqualTo(WebSocketSettings.REDIS);
    assertThat(read("cds.websocket.broker", " Redis ").broker()).isEqualTo("redis");
    assertThat(read("cds.websocket.broker", "local").broker()).isEqualTo("local");
  }

  @Test
  @DisplayName("Scale-out: cds.websocket.redis.* and cds.websocket.recovery.* are read")
  void redisAndRecovery() {
    WebSocketSettings settings = read("cds.websocket.broker", "redis",
        "cds.websocket.redis.uri", "redis://127.0.0.1:6390",
        "cds.websocket.redis.key-prefix", "myapp",
        "cds.websocket.redis.stream-length", "500",
        "cds.websocket.redis.buffer-size", "20",
        "cds.websocket.redis.buffer-age", "1500",
        "cds.websocket.recovery.enabled", "true",
        "cds.websocket.recovery.max-events", "50",
        "cds.websocket.recovery.max-age", "2000");
    assertThat(settings.redis()).isEqualTo(new RedisSettings("redis://127.0.0.1:6390", "myapp", 500, 20, 1500));
    assertThat(settings.recovery()).isEqualTo(new RecoverySettings(true, 50, 2000));

    WebSocketSettings partly = read("cds.websocket.redis.stream-length", "7", "cds.websocket.recovery.max-age", "9");
    assertThat(partly.redis()).isEqualTo(new RedisSettings(null, "cds-websocket", 7, 10_000, 60_000));
    assertThat(partly.recovery()).isEqualTo(new RecoverySettings(false, 1000, 9));
  }

  @Test
  @DisplayName("Scale-out: a bound redis-cache service (label or tag) makes redis the default broker, with its URI")
  void boundRedis() {
    Map<String, Object> credentials = Map.of("hostname", "cache.example", "port", 1234, "password", "pw",
        "tls", true);
    for (ServiceBinding bound : List.of(binding("redis-cache", List.of(), credentials),
        binding("user-provided", List.of("cache", "redis-cache"), credentials))) {
      WebSocketSettings settings = WebSocketSettings.from(new Env(List.of(bound)));
      assertThat(settings.broker()).isEqualTo("redis");
      assertThat(settings.redis().uri()).isEqualTo("rediss://:pw@cache.example:1234");

      WebSocketSettings local = WebSocketSettings.from(new Env(List.of(bound), "cds.websocket.broker", "local"));
      assertThat(local.broker()).as("asked for explicitly").isEqualTo("local");

      WebSocketSettings ownUri = WebSocketSettings.from(new Env(List.of(bound), "cds.websocket.redis.uri",
          "redis://elsewhere:1"));
      assertThat(ownUri.redis().uri()).as("the setting wins over the binding").isEqualTo("redis://elsewhere:1");
    }

    ServiceBinding other = binding("postgresql-db", List.of("relational"), Map.of("uri", "postgres://x"));
    WebSocketSettings unrelated = WebSocketSettings.from(new Env(List.of(other)));
    assertThat(unrelated.broker()).isEqualTo("local");
    assertThat(unrelated.redis().uri()).isNull();

    ServiceBinding withUri = binding("redis-cache", List.of(), Map.of("uri", "redis://from-binding:6379"));
    assertThat(WebSocketSettings.from(new Env(List.of(other, withUri))).redis().uri())
        .isEqualTo("redis://from-binding:6379");
  }
}
