package dev.capws.websocket.internal.inbound;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.sap.cds.reflect.CdsArrayedType;
import com.sap.cds.reflect.CdsBaseType;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsParameter;
import com.sap.cds.reflect.CdsSimpleType;
import com.sap.cds.reflect.CdsStructuredType;
import com.sap.cds.reflect.CdsType;

import dev.capws.websocket.internal.format.JsonFrames;
import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.spi.FrameRejected;

/**
 * Turns the {@code data} of a client frame into the Java values a CAP handler expects for an operation's declared
 * parameters (String, Integer, BigDecimal, Instant, ...). The OData adapter does this for OData calls; over the
 * socket we do it, and refuse what does not fit with a 400 naming the parameter, before any handler runs.
 */
public final class ParameterBinder {

  private ParameterBinder() {}

  public static Map<String, Object> bind(CdsOperation operation, JsonNode data) {
    if (!data.isObject()) {
      throw new FrameRejected(400, "INVALID_PARAMETERS", "\"data\" must be an object of the parameters of '"
          + operation.getName() + "'");
    }
    Map<String, CdsParameter> declared = new LinkedHashMap<>();
    Set<String> ignored = new HashSet<>();
    operation.parameters().forEach(p -> {
      if (WsAnnotations.isIgnored(p)) {
        ignored.add(p.getName()); // @ws.ignore: a client cannot set it; the handler sees it unset
      } else {
        declared.put(p.getName(), p);
      }
    });
    for (Iterator<String> names = data.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!declared.containsKey(name) && !ignored.contains(name)) {
        throw new FrameRejected(400, "UNKNOWN_PARAMETER", "'" + operation.getName() + "' has no parameter '" + name
            + "'", name);
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (CdsParameter parameter : declared.values()) {
      JsonNode node = data.get(parameter.getName());
      if (node == null || node.isNull()) {
        if (parameter.isNotNull()) {
          throw new FrameRejected(400, "MISSING_PARAMETER", "Parameter '" + parameter.getName() + "' is required",
              parameter.getName());
        }
        values.put(parameter.getName(), parameter.getDefaultValue().orElse(null));
      } else {
        values.put(parameter.getName(), value(node, parameter.getType(), parameter.getName()));
      }
    }
    return values;
  }

  static Object value(JsonNode node, CdsType type, String path) {
    if (node.isNull()) {
      return null;
    }
    if (type.isArrayed()) {
      if (!node.isArray()) {
        throw mismatch(path, "an array");
      }
      CdsType items = type.as(CdsArrayedType.class).getItemsType();
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        list.add(value(node.get(i), items, path + "[" + i + "]"));
      }
      return list;
    }
    if (type.isStructured()) {
      if (!node.isObject()) {
        throw mismatch(path, "an object");
      }
      CdsStructuredType struct = type.as(CdsStructuredType.class);
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(field -> map.put(field.getKey(), struct.findElement(field.getKey())
          .map(e -> value(field.getValue(), e.getType(), path + "." + field.getKey()))
          .orElseGet(() -> JsonFrames.plain(field.getValue()))));
      return map;
    }
    if (type.isSimple()) {
      return simple(node, type.as(CdsSimpleType.class).getType(), path);
    }
    return JsonFrames.plain(node);
  }

  private static Object simple(JsonNode node, CdsBaseType type, String path) {
    switch (type) {
      case STRING, LARGE_STRING, UUID, HANA_CHAR, HANA_NCHAR, HANA_VARCHAR, HANA_CLOB:
        return text(node, path, "a string");
      case BOOLEAN:
        if (!node.isBoolean()) {
          throw mismatch(path, "true or false");
        }
        return node.booleanValue();
      case INTEGER, INT32:
        return (int) integral(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT16, HANA_SMALLINT:
        return (short) integral(node, path, Short.MIN_VALUE, Short.MAX_VALUE);
      case UINT8, HANA_TINYINT:
        return (short) integral(node, path, 0, 255);
      case INT64, INTEGER64:
        return integral(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
      case DECIMAL, DECIMAL_FLOAT, HANA_SMALLDECIMAL:
        return decimal(node, path);
      case DOUBLE, HANA_REAL:
        if (!node.isNumber()) {
          throw mismatch(path, "a number");
        }
        return node.doubleValue();
      case DATE:
        return parse(node, path, "a date like 2026-11-24", LocalDate::parse);
      case TIME:
        return parse(node, path, "a time like 13:45:00", LocalTime::parse);
      case DATETIME, TIMESTAMP:
        return parse(node, path, "a timestamp like 2026-11-24T13:45:00Z", ParameterBinder::instant);
      case BINARY, LARGE_BINARY, HANA_BINARY:
        return parse(node, path, "base64 text", Base64.getDecoder()::decode);
      default:
        return JsonFrames.plain(node);
    }
  }

  private static String text(JsonNode node, String path, String expected) {
    if (!node.isTextual()) {
      throw mismatch(path, expected);
    }
    return node.textValue();
  }

  private static long integral(JsonNode node, String path, long min, long max) {
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
      throw mismatch(path, "an integer from " + min + " to " + max);
    }
    return node.longValue();
  }

  /** Decimals may come as numbers or, to keep their precision in JavaScript clients, as numeric strings. */
  private static BigDecimal decimal(JsonNode node, String path) {
    if (node.isNumber()) {
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        throw mismatch(path, "a finite decimal number"); // NaN and Infinity, which lenient JSON parsers accept
      }
      return node.decimalValue();
    }
    return parse(node, path, "a decimal number", BigDecimal::new);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private static <T> T parse(JsonNode node, String path, String expected, Parser<T> parser) {
    String text = text(node, path, expected);
    try {
      return parser.parse(text);
    } catch (RuntimeException e) { // DateTimeParseException, NumberFormatException, IllegalArgumentException
      throw mismatch(path, expected);
    }
  }

  private static FrameRejected mismatch(String path, String expected) {
    return new FrameRejected(400, "INVALID_PARAMETER", "Parameter '" + path + "' must be " + expected, path);
  }
}
