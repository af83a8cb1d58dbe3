package dev.capws.websocket.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;

import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.capws.websocket.internal.format.CloudEventFormat;
import dev.capws.websocket.internal.format.GenericFormat;
import dev.capws.websocket.internal.format.JsonFormat;
import dev.capws.websocket.internal.format.PcpFormat;
import dev.capws.websocket.internal.inbound.ParameterBinder;
import dev.capws.websocket.spi.ClientFrame;
import dev.capws.websocket.spi.FrameRejected;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * Property-based: whatever a client sends, every format's parser and the parameter binder either produce a frame or
 * refuse it with a {@link FrameRejected} (an error frame); no other exception ever escapes to the container.
 */
class InboundFuzzTest {

  private static final CdsService SERVICE;
  private static final Map<String, CdsOperation> OPERATIONS;

  static {
    try (InputStream csn = InboundFuzzTest.class.getResourceAsStream("/model/types.csn.json")) {
      CdsModel model = CdsModel.read(csn);
      SERVICE = model.getService("Types");
      OPERATIONS = SERVICE.actions().collect(Collectors.toMap(CdsOperation::getName, a -> (CdsOperation) a));
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final WebSocketFormat[] FORMATS = { new JsonFormat(), new PcpFormat(), new CloudEventFormat(),
      new GenericFormat() };

  @Property(tries = 3000)
  @Label("Bad input: any text is parsed or refused with a FrameRejected, in every format")
  void anyText(@ForAll("messages") String message) {
    for (WebSocketFormat format : FORMATS) {
      try {
        ClientFrame frame = format.parse(SERVICE, OPERATIONS, message);
        CdsOperation operation = OPERATIONS.get(frame.event());
        if (operation != null) {
          ParameterBinder.bind(operation, frame.data());
        }
      } catch (FrameRejected expected) {
        assertThat(expected.status()).isBetween(400, 499);
      }
    }
  }

  /** Random text, random JSON-looking text, and near-valid frames for the declared operations. */
  @Provide
  Arbitrary<String> messages() {
    Arbitrary<String> names = Arbitraries.of("everything", "required", "defaulted", "nope", "", "wsContext");
    Arbitrary<String> keys = Arbitraries.of("s", "b", "i", "i16", "u8", "i64", "d", "dbl", "date", "time", "dt",
        "ts", "bin", "id", "p", "many", "points", "name", "n", "x", "");
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("1", "-1", "1.5", "1e400", "true", "null", "\"\"",
        "\"x\"", "[]", "{}", "[1,\"a\",null]", "{\"x\":\"y\"}", "\"2026-11-24\"", "\"13:45:00\"",
        "\"2026-11-24T13:45:00Z\"", "\"AAEC\"", "99999999999999999999999", "\"%%\"", "[{\"x\":1},{\"y\":true}]"),
        Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
    Arbitrary<String> field = keys.flatMap(k -> values.map(v -> "\"" + k + "\":" + v));
    Arbitrary<String> object = field.list().ofMaxSize(5).map(fs -> "{" + String.join(",", fs) + "}");
    Arbitrary<String> frames = names.flatMap(n -> object.map(o -> "{\"event\":\"" + n + "\",\"data\":" + o
        + ",\"name\":\"" + n + "\",\"type\":\"" + n + "\"}"));
    Arbitrary<String> pcp = names.flatMap(n -> keys.flatMap(k -> Arbitraries.strings().ofMaxLength(10)
        .map(v -> "pcp-action:" + n + "\n" + k + ":" + v + "\n\nbody")));
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), frames, pcp,
        frames.map(f -> f.substring(0, f.length() / 2)), object);
  }
}
