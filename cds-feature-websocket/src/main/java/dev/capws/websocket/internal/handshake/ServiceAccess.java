package dev.capws.websocket.internal.handshake;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.model.WebSocketEndpoint;
import dev.capws.websocket.internal.model.WsAnnotations;

/**
 * Who may hear a service. A service pushes its events to every client, so the service-level checks CAP makes on every
 * OData request are made here once, at the upgrade: {@code @requires} (one of its roles) and {@code @restrict} (a
 * privilege granted to one of the user's roles; on a service, CAP only supports {@code grant: '*'}, so the grant is
 * not looked at). Users who fail them get 403 before the upgrade; for a mixin of another service joined to the path,
 * they only miss that service's events. Operations and entities are checked by CAP on every call as well.
 */
final class ServiceAccess {

  private ServiceAccess() {}

  static boolean mayConnect(CdsService service, UserInfo user) {
    return mayAccess(service, user);
  }

  /** The services of mixin events joined to this endpoint whose access the user does not have. */
  static Set<String> unheardMixins(WebSocketEndpoint endpoint, UserInfo user) {
    return endpoint.mixinServices().stream().filter(service -> !mayAccess(service, user))
        .map(CdsService::getQualifiedName).collect(Collectors.toUnmodifiableSet());
  }

  static boolean mayAccess(CdsService service, UserInfo user) {
    if (service == null || user.isPrivileged()) {
      return true;
    }
    Object requires = WsAnnotations.value(service, "requires");
    if (requires != null && values(requires).stream().noneMatch(role -> has(user, role))) {
      return false;
    }
    Object restrict = WsAnnotations.value(service, "restrict");
    return restrict == null || values(restrict).isEmpty() || privileges(restrict).anyMatch(to -> has(user, to));
  }

  /** The roles of every privilege ({@code to}; none means {@code any}, as in CAP). */
  private static Stream<String> privileges(Object restrict) {
    return toList(restrict).stream().filter(Map.class::isInstance).map(Map.class::cast)
        .flatMap(privilege -> privilege.get("to") == null ? Stream.of("any")
            : values(privilege.get("to")).stream());
  }

  private static List<?> toList(Object value) {
    return value instanceof Collection<?> list ? List.copyOf(list) : List.of(value);
  }

  private static List<String> values(Object value) {
    return toList(value).stream().map(String::valueOf).toList();
  }

  /** CAP's pseudo roles, then the user's own roles. */
  private static boolean has(UserInfo user, String role) {
    return switch (role) {
      case "any" -> true;
      case "authenticated-user" -> user.isAuthenticated();
      case "system-user" -> user.isSystemUser();
      case "internal-user" -> user.isInternalUser();
      default -> user.hasRole(role);
    };
  }
}
