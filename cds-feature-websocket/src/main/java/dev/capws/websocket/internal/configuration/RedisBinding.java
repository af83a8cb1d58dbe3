package dev.capws.websocket.internal.configuration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.sap.cds.services.environment.CdsEnvironment;
import com.sap.cds.services.utils.environment.ServiceBindingUtils;
import com.sap.cloud.environment.servicebinding.api.ServiceBinding;

/**
 * A Redis service bound to the application (label or tag {@code redis-cache}, as on SAP BTP and as the Node plugin
 * looks for it), read through CAP's service bindings: Cloud Foundry's {@code VCAP_SERVICES}, Kyma's mounted secrets,
 * or a {@code default-env.json}. Its credentials become a Redis URI.
 */
final class RedisBinding {

  static final String LABEL = "redis-cache";

  private RedisBinding() {}

  /** The URI of the first bound Redis service, if there is one. */
  static Optional<String> uri(CdsEnvironment env) {
    return env.getServiceBindings().filter(binding -> ServiceBindingUtils.matches(binding, LABEL)).findFirst()
        .map(ServiceBinding::getCredentials).map(RedisBinding::uri);
  }

  /** {@code uri} if the credentials have one, else one built from {@code hostname}, {@code port}, {@code password}
   * and {@code tls}. */
  static String uri(Map<String, Object> credentials) {
    if (credentials.get("uri") instanceof String uri && !uri.isBlank()) {
      return uri;
    }
    boolean tls = Boolean.TRUE.equals(credentials.get("tls")) || "true".equals(String.valueOf(credentials.get("tls")));
    Object password = credentials.get("password");
    // Percent-encoding as in a URI: URLEncoder writes a space as "+", which a URI reader keeps as a "+".
    String userInfo = password == null ? ""
        : ":" + URLEncoder.encode(password.toString(), StandardCharsets.UTF_8).replace("+", "%20") + "@";
    return (tls ? "rediss://" : "redis://") + userInfo + credentials.get("hostname") + ":"
        + credentials.getOrDefault("port", 6379);
  }
}
