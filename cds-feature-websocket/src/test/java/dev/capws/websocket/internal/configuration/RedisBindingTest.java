package dev.capws.websocket.internal.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lettuce.core.RedisURI;

/** The credentials of a bound Redis service as a Redis URI, checked by parsing it as the Redis client does. */
class RedisBindingTest {

  private static Map<String, Object> credentials(Object... pairs) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("Scale-out: a uri in the credentials wins over the other fields")
  void uriWins() {
    assertThat(RedisBinding.uri(credentials("uri", "rediss://:secret@cache.example:6380", "hostname", "other",
        "port", 1, "password", "x", "tls", true))).isEqualTo("rediss://:secret@cache.example:6380");
    assertThat(RedisBinding.uri(credentials("uri", " ", "hostname", "h", "port", 7000)))
        .as("a blank uri does not count").isEqualTo("redis://h:7000");
  }

  @Test
  @DisplayName("Scale-out: hostname, port, password and tls become rediss://:<password>@host:port")
  void fromFields() {
    String uri = RedisBinding.uri(credentials("hostname", "cache.example", "port", 1234, "password", "s3cret",
        "tls", true));
    assertThat(uri).isEqualTo("rediss://:s3cret@cache.example:1234");
    RedisURI parsed = RedisURI.create(uri);
    assertThat(parsed.isSsl()).isTrue();
    assertThat(parsed.getHost()).isEqualTo("cache.example");
    assertThat(parsed.getPort()).isEqualTo(1234);
    assertThat(new String(parsed.getPassword())).isEqualTo("s3cret");

    assertThat(RedisBinding.uri(credentials("hostname", "h", "port", "6380", "password", "p", "tls", "true")))
        .as("tls and port as text, as some bindings give them").isEqualTo("rediss://:p@h:6380");
    assertThat(RedisBinding.uri(credentials("hostname", "h", "port", 6380, "password", "p", "tls", false)))
        .isEqualTo("redis://:p@h:6380");
  }

  @Test
  @DisplayName("Scale-out: no password, no tls, no port: redis://host:6379")
  void defaults() {
    assertThat(RedisBinding.uri(credentials("hostname", "h", "port", 6390))).isEqualTo("redis://h:6390");
    assertThat(RedisBinding.uri(credentials("hostname", "h"))).isEqualTo("redis://h:6379");
    RedisURI parsed = RedisURI.create(RedisBinding.uri(credentials("hostname", "h")));
    assertThat(parsed.getPassword()).isNull();
    assertThat(parsed.isSsl()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = { "p@ss:w/rd", "a+b", "%41", "x#y?z", "ünï", "a=b&c" })
  @DisplayName("Scale-out: the password is URL-encoded: the Redis client reads back exactly the password")
  void passwordEncoding(String password) {
    String uri = RedisBinding.uri(credentials("hostname", "h", "port", 1, "password", password, "tls", true));
    RedisURI parsed = RedisURI.create(uri);
    assertThat(new String(parsed.getPassword())).isEqualTo(password);
    assertThat(parsed.getHost()).isEqualTo("h");
    assertThat(parsed.getPort()).isEqualTo(1);
  }

  @Test
  @DisplayName("Scale-out: a password with a space survives the URI")
  void passwordWithSpace() {
    String uri = RedisBinding.uri(credentials("hostname", "h", "port", 1, "password", "a b"));
    assertThat(new String(RedisURI.create(uri).getPassword())).isEqualTo("a b");
  }
}
