package dev.capws.websocket.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.Targeting;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/** Envelopes as they cross Redis: everything survives, and what is not an envelope is refused as such. */
class EnvelopeCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Targeting EVERY_LAYER = new Targeting(
      new Layer(Set.of("alice", "bob"), Set.of("mallory")),
      new Layer(Set.of("admin"), Set.of("guest", "viewer")),
      new Layer(Set.of("room1", "room 2"), Set.of("archive")),
      new Layer(Set.of("c-1"), Set.of("c-2")),
      Operator.AND, Operator.OR);

  private static final Envelope FULL = new Envelope("my.Service", "tenant-1", "tick",
      "{\"event\":\"tick\",\"data\":{\"text\":\"ünïcödé \\\"quoted\\\" \\n\"}}", EVERY_LAYER, 42, true);

  @Test
  @DisplayName("B3: an envelope with every layer, both operators, except and positioned survives the trip")
  void roundTrip() throws IOException {
    assertThat(EnvelopeCodec.read(EnvelopeCodec.write(FULL))).isEqualTo(FULL);

    Targeting flipped = new Targeting(EVERY_LAYER.users(), EVERY_LAYER.roles(), EVERY_LAYER.contexts(),
        EVERY_LAYER.identifiers(), Operator.OR, Operator.AND);
    Envelope other = new Envelope("S", null, null, "pcp-action:x\n\nbody", flipped, 0, false);
    assertThat(EnvelopeCodec.read(EnvelopeCodec.write(other))).isEqualTo(other);

    Envelope empty = new Envelope("S", "t", "e", "{}", new Targeting(Layer.NONE, Layer.NONE, Layer.NONE,
        Layer.NONE, Operator.OR, Operator.OR), 0, false);
    assertThat(EnvelopeCodec.read(EnvelopeCodec.write(empty))).isEqualTo(empty);
  }

  @Test
  @DisplayName("A3 E6: a mixin's own service and an HTTP caller's excludes survive the trip")
  void sourceAndCallerExcludes() throws IOException {
    Targeting caller = new Targeting(Layer.NONE, Layer.NONE, new Layer(Set.of(), Set.of("nowhere")), Layer.NONE,
        Operator.OR, Operator.AND);
    Targeting targeting = new Targeting(EVERY_LAYER.users(), EVERY_LAYER.roles(), EVERY_LAYER.contexts(),
        EVERY_LAYER.identifiers(), Operator.OR, Operator.AND, caller);
    Envelope mixin = new Envelope("my.Service", "t", "e", "{}", targeting, 0, false, "my.AdminService");
    assertThat(EnvelopeCodec.read(EnvelopeCodec.write(mixin))).isEqualTo(mixin);
  }

  @Test
  @DisplayName("B3: unknown fields (of a newer instance) are ignored, at every level")
  void unknownFieldsIgnored() throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(EnvelopeCodec.write(FULL));
    tree.put("future", "x");
    tree.putObject("nested").put("a", 1);
    ((ObjectNode) tree.get("targeting")).put("weight", 3);
    ((ObjectNode) tree.get("targeting").get("users")).putArray("maybe").add("z");
    assertThat(EnvelopeCodec.read(JSON.writeValueAsString(tree))).isEqualTo(FULL);
  }

  @ParameterizedTest
  @ValueSource(strings = { "", " ", "{", "not json", "[]", "42", "\"text\"", "{\"serviceName\":",
      "{\"serviceName\":\"S\",\"frame\":\"f\"}" })
  @DisplayName("B3: malformed or incomplete text is refused with an IOException")
  void malformed(String text) {
    assertThatThrownBy(() -> EnvelopeCodec.read(text)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = { "serviceName", "frame", "targeting" })
  @DisplayName("B3: an envelope without its service, frame or targeting is refused")
  void missingFields(String field) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(EnvelopeCodec.write(FULL));
    tree.remove(field);
    assertThatThrownBy(() -> EnvelopeCodec.read(JSON.writeValueAsString(tree))).isInstanceOf(IOException.class);
    tree.putNull(field);
    assertThatThrownBy(() -> EnvelopeCodec.read(JSON.writeValueAsString(tree))).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = { "users", "roles", "contexts", "identifiers" })
  @DisplayName("B3: a targeting with a missing or null layer, or a layer with null values, is refused")
  void nullLayers(String layer) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(EnvelopeCodec.write(FULL));
    ObjectNode targeting = (ObjectNode) tree.get("targeting");
    targeting.putNull(layer);
    assertThatThrownBy(() -> EnvelopeCodec.read(JSON.writeValueAsString(tree))).isInstanceOf(IOException.class);
    targeting.remove(layer);
    assertThatThrownBy(() -> EnvelopeCodec.read(JSON.writeValueAsString(tree))).isInstanceOf(IOException.class);

    ObjectNode nullValues = (ObjectNode) JSON.readTree(EnvelopeCodec.write(FULL));
    ((ObjectNode) nullValues.get("targeting").get(layer)).putNull("include");
    assertThatThrownBy(() -> EnvelopeCodec.read(JSON.writeValueAsString(nullValues)))
        .isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("B3: the JSON literal null is not an envelope either")
  void jsonNull() {
    assertThatThrownBy(() -> EnvelopeCodec.read("null")).isInstanceOf(IOException.class);
  }
}
