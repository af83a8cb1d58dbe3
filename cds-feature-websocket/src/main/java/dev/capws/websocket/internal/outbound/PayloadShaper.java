package dev.capws.websocket.internal.outbound;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sap.cds.reflect.CdsArrayedType;
import com.sap.cds.reflect.CdsElement;
import com.sap.cds.reflect.CdsStructuredType;
import com.sap.cds.reflect.CdsType;

import dev.capws.websocket.internal.model.WsAnnotations;

/**
 * Keeps only what an event declares. Handlers often emit maps that carry more than the event's type (a whole entity
 * row, internal fields); clients get exactly the declared elements, in declaration order. Declared elements that
 * the handler left out are left out too; explicit nulls are kept. Elements annotated {@code @ws.ignore} (or
 * {@code @websocket.ignore}) are never sent.
 */
public final class PayloadShaper {

  private PayloadShaper() {}

  public static Object shape(CdsStructuredType type, Object data) {
    if (!(data instanceof Map<?, ?> map)) {
      return data;
    }
    Map<String, Object> shaped = new LinkedHashMap<>();
    type.elements().forEach(element -> {
      if (map.containsKey(element.getName()) && !WsAnnotations.isIgnored(element)) {
        shaped.put(element.getName(), shapeValue(element, map.get(element.getName())));
      }
    });
    return shaped;
  }

  /** The Node plugin's payload, everything the handler emitted, less the elements marked {@code @ws.ignore}. */
  public static Object withoutIgnored(CdsStructuredType type, Object data) {
    if (!(data instanceof Map<?, ?> map)) {
      return data;
    }
    Map<Object, Object> copy = new LinkedHashMap<>(map);
    type.elements().filter(WsAnnotations::isIgnored).forEach(element -> copy.remove(element.getName()));
    return copy;
  }

  private static Object shapeValue(CdsElement element, Object value) {
    return shapeType(element.getType(), value);
  }

  private static Object shapeType(CdsType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type.isStructured()) {
      return shape(type.as(CdsStructuredType.class), value);
    }
    if (type.isArrayed() && value instanceof Collection<?> items) {
      CdsType itemType = type.as(CdsArrayedType.class).getItemsType();
      Collection<Object> shaped = new ArrayList<>(items.size());
      items.forEach(item -> shaped.add(shapeType(itemType, item)));
      return shaped;
    }
    return value;
  }
}
