package dev.capws.websocket.configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.Service;
import com.sap.cds.services.runtime.CdsRuntimeConfiguration;
import com.sap.cds.services.runtime.CdsRuntimeConfigurer;

import dev.capws.websocket.model.WebSocketEndpoint;
import dev.capws.websocket.outbound.EventForwarder;

/**
 * Registers the plugin with CAP (listed in {@code META-INF/services}): for every declared event of every WebSocket
 * service, an {@code @After} handler that forwards the event to the service's clients.
 */
public final class WebSocketRuntimeConfiguration implements CdsRuntimeConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRuntimeConfiguration.class);

  @Override
  public void eventHandlers(CdsRuntimeConfigurer configurer) {
    WebSocketFeature feature = WebSocketFeature.of(configurer.getCdsRuntime());
    if (!feature.active()) {
      return;
    }
    for (String serviceName : feature.catalog().serviceNames()) {
      Service service = configurer.getCdsRuntime().getServiceCatalog().getService(serviceName);
      if (service == null) {
        LOG.warn("WebSocket service {} is in the model but not served by CAP; its events are not forwarded",
            serviceName);
        continue;
      }
      WebSocketEndpoint endpoint = feature.catalog().ofService(serviceName).get(0);
      endpoint.events().forEach((name, event) -> service.after(name, null,
          new EventForwarder(endpoint.service(), name, event, feature.commitGate(), feature.targeting(),
              feature.settings().shapePayload(), feature.settings().afterCommit())));
      feature.catalog().ofService(serviceName)
          .forEach(e -> LOG.info("WebSocket service {} at {}", serviceName, e.path()));
    }
  }
}
