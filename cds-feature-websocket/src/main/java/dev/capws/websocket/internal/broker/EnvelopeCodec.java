package dev.capws.websocket.internal.broker;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.capws.websocket.internal.targeting.Envelope;
import dev.capws.websocket.internal.targeting.Targeting;

/** Envelopes as JSON text, the way they cross Redis. Unknown fields are ignored, so newer instances may add some. */
public final class EnvelopeCodec {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private EnvelopeCodec() {}

  public static String write(Envelope envelope) {
    try {
      return JSON.writeValueAsString(envelope);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IOException if the text is not an envelope (malformed or incomplete)
   */
  public static Envelope read(String text) throws IOException {
    Envelope envelope = JSON.readValue(text, Envelope.class);
    if (envelope == null) {
      throw new IOException("Not an envelope: null");
    }
    Targeting targeting = envelope.targeting();
    if (envelope.serviceName() == null || envelope.frame() == null || targeting == null || targeting.users() == null
        || targeting.roles() == null || targeting.contexts() == null || targeting.identifiers() == null) {
      throw new IOException("Incomplete envelope");
    }
    return envelope;
  }
}
