package dev.capws.websocket.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Positions as clients send them back ({@code ?since=}): parsed strictly, formatted as they were given out. */
class PositionTest {

  @Test
  @DisplayName("B3: format and parse are each other's inverse")
  void roundTrip() {
    Position position = new Position("5d1c0a9e2b41", 1764620000123L, 7);
    assertThat(position).hasToString("5d1c0a9e2b41:1764620000123-7");
    assertThat(Position.parse(position.toString())).isEqualTo(position);

    Position extremes = new Position("e".repeat(64), Long.MAX_VALUE, 0);
    assertThat(Position.parse(extremes.toString())).isEqualTo(extremes);
    assertThat(Position.parse("A1:0-0")).isEqualTo(new Position("A1", 0, 0));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = { "abc", "abc:", ":1-0", "abc:1", "abc:1-", "abc:-1", "abc1-0", "abc:1-0x", "abc:12a-0",
      "abc:1-b", "abc:1.5-0", "abc:-1-0", "abc:1--1", "abc:1-0-0", " abc:1-0", "abc:1-0 ", "abc:1-0\n", "ab-c:1-0",
      "ab_c:1-0", "ab c:1-0", "abc:1-0:2", "abc::1-0", "abc:+1-0", "äbc:1-0", "abc:１-0",
      "abc:9223372036854775808-0", "abc:0-9223372036854775808", "abc:9999999999999999999-0",
      "abc:12345678901234567890-0" })
  @DisplayName("B3: anything that is not exactly <epoch>:<major>-<minor> within range is no position")
  void malformed(String text) {
    assertThat(Position.parse(text)).isNull();
  }

  @Test
  @DisplayName("B3: an epoch of more than 64 characters is refused")
  void overlongEpoch() {
    assertThat(Position.parse("e".repeat(64) + ":1-0")).isNotNull();
    assertThat(Position.parse("e".repeat(65) + ":1-0")).isNull();
  }

  @Test
  @DisplayName("B3: positions order by major, then minor (numerically, not as text)")
  void ordering() {
    Position a = new Position("e", 9, 5);
    Position b = new Position("e", 10, 0);
    Position c = new Position("e", 10, 1);
    Position d = new Position("e", 10, 10);
    Position e = new Position("e", 100, 0);
    List<Position> shuffled = new ArrayList<>(List.of(e, c, a, d, b));
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactly(a, b, c, d, e);
    assertThat(b.compareTo(new Position("e", 10, 0))).isZero();
    assertThat(new Position("e", Long.MAX_VALUE, 0)).isGreaterThan(new Position("e", 0, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("B3: a Redis stream entry ID becomes the offset, and back")
  void streamIds() {
    Position position = Position.ofStreamId("ep0ch", "1764620000123-42");
    assertThat(position).isEqualTo(new Position("ep0ch", 1764620000123L, 42));
    assertThat(position.streamId()).isEqualTo("1764620000123-42");
    assertThat(position).hasToString("ep0ch:1764620000123-42");
    assertThat(Position.parse(position.toString())).isEqualTo(position);
    assertThat(Position.ofStreamId("x", "0-0").streamId()).isEqualTo("0-0");
  }
}
