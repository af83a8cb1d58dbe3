package dev.capws.websocket.configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.Service;
import com.sap.cds.services.runtime.CdsRuntimeConfiguration;
import com.sap.cds.services.runtime.CdsRuntimeConfigurer;

import dev.capws.websocket.model.WebSocketEndpoint;
import dev.capws.websocket.outbound.EventForwarder;

/**
 * Registers the plugin with CAP (listed in {@code META-INF/services}): for every event served over WebSocket (of a
 * WebSocket service, or a mixin), an {@code @After} handler on its service that forwards it to the clients.
 */
public final class WebSocketRuntimeConfiguration implements CdsRuntimeConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRuntimeConfiguration.class);

  @Override
  public void eventHandlers(CdsRuntimeConfigurer configurer) {
    WebSocketFeature feature = WebSocketFeature.of(configurer.getCdsRuntime());
    if (!feature.active()) {
      return;
    }
    Set<String> registered = new HashSet<>();
    for (WebSocketEndpoint endpoint : feature.catalog().endpoints()) {
      LOG.info("WebSocket endpoint {} serves {}", endpoint.path(), endpoint.serviceName());
      endpoint.events().forEach((name, event) -> {
        CdsService owner = endpoint.ownerOf(name);
        // a service served at several paths has one group of clients: forward each event once
        if (!registered.add(owner.getQualifiedName() + "/" + name + "/" + endpoint.serviceName())) {
          return;
        }
        Service service = configurer.getCdsRuntime().getServiceCatalog().getService(owner.getQualifiedName());
        if (service == null) {
          LOG.warn("Service {} is in the model but not served by CAP; its event {} is not forwarded",
              owner.getQualifiedName(), name);
          return;
        }
        service.after(name, null, new EventForwarder(owner, endpoint.serviceName(), name, event,
            feature.commitGate(), feature.targeting(), feature.formats().of(event, owner),
            feature.settings().shapePayload(), feature.settings().afterCommit(),
            feature.settings().httpHeaderIncludes()));
      });
    }
  }
}
