package dev.capws.websocket.internal.configuration;

import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.Service;
import com.sap.cds.services.outbox.OutboxService;
import com.sap.cds.services.runtime.CdsRuntimeConfiguration;
import com.sap.cds.services.runtime.CdsRuntimeConfigurer;

import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.outbound.EventForwarder;
import dev.capws.websocket.internal.outbound.EventRoute;
import dev.capws.websocket.internal.outbound.OutboxDelivery;

/**
 * Registers the plugin with CAP (listed in {@code META-INF/services}): builds its parts once, as a CAP service
 * ({@link WebSocketRuntime}), and for every event served over WebSocket (of a WebSocket service, or a mixin) adds an
 * {@code @After} handler on its service that forwards it to the clients.
 */
public final class Registration implements CdsRuntimeConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  @Override
  public void services(CdsRuntimeConfigurer configurer) {
    WebSocketRuntime parts = new WebSocketRuntime(configurer.getCdsRuntime());
    configurer.service(parts);
    parts.clientServices().services().forEach(configurer::service);
  }

  @Override
  public void eventHandlers(CdsRuntimeConfigurer configurer) {
    WebSocketRuntime parts = WebSocketRuntime.of(configurer.getCdsRuntime());
    if (!parts.active()) {
      return;
    }
    String outbox = parts.settings().outbox();
    if (outbox != null) {
      OutboxService service = configurer.getCdsRuntime().getServiceCatalog().getService(OutboxService.class, outbox);
      if (service == null) {
        throw new IllegalStateException("cds.websocket.outbox names '" + outbox + "', which is no outbox service of "
            + "this application (a persistent outbox needs cds.outbox.Messages in the model: "
            + "using from '@sap/cds/srv/outbox')");
      }
      parts.publisher().deliverThrough(new OutboxDelivery(service, parts.broker()));
      LOG.info("WebSocket events go through the outbox {}", outbox);
    }
    Set<String> registered = new HashSet<>();
    for (WebSocketEndpoint endpoint : parts.catalog().endpoints()) {
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
        EventRoute route = new EventRoute(owner, endpoint.serviceName(), event, name,
            parts.formats().of(event, owner), parts.publisher().recovers(endpoint));
        service.after(name, null, new EventForwarder(parts.publisher(), route));
      });
    }
  }
}
