package dev.capws.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * What a run measured: one flat JSON object, the last line of stdout, which compare.sh copies into its results and
 * {@link Report} reads. Fields keep the order they are put in. Measured numbers (doubles) are written with three
 * decimals, so lines of different runs line up; one that could not be measured (NaN: CPU without --pid, a latency
 * without frames) is written as null.
 */
final class Result {

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new SimpleModule().addSerializer(Double.class, new ThreeDecimals()));

  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean shortfall;

  Result(String scenario) {
    fields.put("scenario", scenario);
  }

  /** A run that could not measure what it should. */
  static Result error(String scenario, String message) {
    return new Result(scenario).put("error", message);
  }

  Result put(String name, String value) {
    fields.put(name, value);
    return this;
  }

  Result put(String name, boolean value) {
    fields.put(name, value);
    return this;
  }

  Result put(String name, long value) {
    fields.put(name, value);
    return this;
  }

  Result put(String name, double value) {
    fields.put(name, value);
    return this;
  }

  Result putNull(String name) {
    fields.put(name, null);
    return this;
  }

  /** Puts "kind" right after "scenario", where a reader of the line looks first. */
  Result kind(String kind) {
    Map<String, Object> rest = new LinkedHashMap<>(fields);
    rest.remove("scenario");
    Object scenario = fields.get("scenario");
    fields.clear();
    fields.put("scenario", scenario);
    fields.put("kind", kind);
    fields.putAll(rest);
    return this;
  }

  /** Nanoseconds as milliseconds; -1 (no value) as null. */
  Result putMillis(String name, long nanos) {
    return put(name, nanos < 0 ? Double.NaN : nanos / 1e6);
  }

  /** Marks a run that measured, but not everything arrived (frames lost or duplicated, connections failed). */
  Result shortfall(boolean shortfall) {
    this.shortfall = shortfall;
    return this;
  }

  /** 0, or 1 after a shortfall. */
  int exitCode() {
    return shortfall ? 1 : 0;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Three decimals, as compare.sh's results have always had them; NaN and infinities as null. */
  private static final class ThreeDecimals extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    ThreeDecimals() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
      if (value.isNaN() || value.isInfinite()) {
        out.writeNull();
      } else {
        out.writeNumber(String.format(Locale.ROOT, "%.3f", value));
      }
    }
  }
}
