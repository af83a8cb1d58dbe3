package dev.capws.websocket.internal.configuration;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sap.cds.adapter.ServletAdapterFactory;
import com.sap.cds.adapter.UrlResourcePath;
import com.sap.cds.services.request.UserInfo;
import com.sap.cds.services.runtime.CdsRuntime;
import com.sap.cds.services.runtime.CdsRuntimeAware;
import com.sap.cds.services.utils.path.UrlResourcePathBuilder;

import dev.capws.websocket.internal.handshake.ClientScript;
import dev.capws.websocket.internal.handshake.HandshakeServlet;
import dev.capws.websocket.internal.handshake.TokenExpiry;
import dev.capws.websocket.internal.model.EndpointPaths;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

/**
 * Serves the WebSocket endpoints as a CAP protocol adapter, so the upgrade request passes CAP's security
 * configuration like every OData request. The prefix is mapped as a whole, so that unknown paths below it are
 * refused by us with 404; services with an absolute path are mapped one by one.
 */
public final class WebSocketAdapterFactory implements ServletAdapterFactory, CdsRuntimeAware {

  private CdsRuntime runtime;
  private final Map<String, UserInfo> anonymous = new ConcurrentHashMap<>();

  @Override
  public void setCdsRuntime(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  private WebSocketRuntime parts() {
    return WebSocketRuntime.of(runtime);
  }

  @Override
  public boolean isEnabled() {
    return runtime != null && parts().active();
  }

  @Override
  public Object create() {
    WebSocketRuntime parts = parts();
    return new HandshakeServlet(parts.handshakeTargets(), parts.settings().limits(),
        () -> runtime.requestContext().run(requestContext -> {
          return new HandshakeServlet.Caller(shared(requestContext.getUserInfo()),
              TokenExpiry.of(requestContext.getAuthenticationInfo()));
        }), ClientScript.at(getBasePath()));
  }

  /**
   * The connection's own copy of its user, except that all anonymous connections of a tenant share one: a user copy
   * is about a kilobyte, most of an idle connection's own memory, and anonymous copies are all alike.
   */
  private UserInfo shared(UserInfo user) {
    if (user.isAuthenticated()) {
      return user.copy();
    }
    return anonymous.computeIfAbsent(String.valueOf(user.getTenant()), tenant -> user.copy());
  }

  @Override
  public String getBasePath() {
    return EndpointPaths.normalizePrefix(parts().settings().pathPrefix());
  }

  @Override
  public String[] getMappings() {
    Set<String> mappings = new LinkedHashSet<>();
    mappings.add(getBasePath() + "/**");
    for (WebSocketEndpoint endpoint : parts().catalog().endpoints()) {
      if (!endpoint.path().startsWith(getBasePath() + "/")) {
        mappings.add(endpoint.path());
      }
    }
    return mappings.toArray(String[]::new);
  }

  @Override
  public UrlResourcePath getServletPath() {
    return UrlResourcePathBuilder.path(getBasePath()).recursive().build();
  }
}
