package dev.capws.websocket.internal.format;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.reflect.CdsAnnotatable;

import dev.capws.websocket.internal.model.WsAnnotations;
import dev.capws.websocket.spi.WebSocketFormat;

/**
 * The formats known to the plugin, by name: the built-in ones and those the application lists in
 * {@code META-INF/services/dev.capws.websocket.spi.WebSocketFormat} (which may replace a built-in one).
 */
public final class Formats {

  private static final Logger LOG = LoggerFactory.getLogger(Formats.class);

  private final Map<String, WebSocketFormat> byName = new LinkedHashMap<>();
  private final WebSocketFormat fallback;
  /** How composed events are framed for the wire: as they are, or in Socket.IO packets (the socket.io kind). */
  private volatile UnaryOperator<WebSocketFormat> framing = UnaryOperator.identity();

  public Formats(String defaultName, ClassLoader classLoader) {
    for (WebSocketFormat format : new WebSocketFormat[] { new JsonFormat(), new PcpFormat(), new CloudEventFormat(),
        new CloudEventFormat("cloudevents"), new GenericFormat() }) {
      byName.put(format.name(), format);
    }
    ServiceLoader.load(WebSocketFormat.class, classLoader).forEach(format -> byName.put(format.name(), format));
    this.fallback = byName.getOrDefault(defaultName, byName.get("json"));
  }

  /** Every format handed out from now on is wrapped so (set once, while the plugin is wired). */
  public void frameWith(UnaryOperator<WebSocketFormat> framing) {
    this.framing = framing;
  }

  /** The format a definition asks for with {@code @ws.format}, else the one its service asks for, else the default. */
  public WebSocketFormat of(CdsAnnotatable definition, CdsAnnotatable service) {
    return framing.apply(unframed(definition, service));
  }

  private WebSocketFormat unframed(CdsAnnotatable definition, CdsAnnotatable service) {
    for (CdsAnnotatable source : new CdsAnnotatable[] { definition, service }) {
      if (source == null) {
        continue;
      }
      for (String annotation : new String[] { "websocket.format", "ws.format" }) {
        if (WsAnnotations.value(source, annotation) instanceof String name) {
          WebSocketFormat format = byName.get(name);
          if (format != null) {
            return format;
          }
          LOG.warn("Unknown WebSocket format '{}': using '{}'", name, fallback.name());
          return fallback;
        }
      }
    }
    return fallback;
  }
}
