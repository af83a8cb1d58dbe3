package dev.capws.websocket.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Redis keys of the plugin, below its prefix. */
class StreamKeysTest {

  @Test
  @DisplayName("Scale-out: <prefix>:epoch and <prefix>:stream:<service>; the service is read back from its key")
  void keys() {
    StreamKeys keys = new StreamKeys("cds-websocket");
    assertThat(keys.epoch()).isEqualTo("cds-websocket:epoch");
    assertThat(keys.stream("my.bookshop.Feed")).isEqualTo("cds-websocket:stream:my.bookshop.Feed");
    assertThat(keys.service(keys.stream("my.bookshop.Feed"))).isEqualTo("my.bookshop.Feed");

    StreamKeys colons = new StreamKeys("app:prod:ws");
    assertThat(colons.service(colons.stream("a:stream:b"))).isEqualTo("a:stream:b");
  }
}
