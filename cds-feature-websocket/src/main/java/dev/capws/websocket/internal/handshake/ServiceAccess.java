package dev.capws.websocket.internal.handshake;

import java.util.Collection;
import java.util.List;

import com.sap.cds.reflect.CdsService;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.model.WsAnnotations;

/**
 * Who may connect to a service: a service with {@code @requires} pushes its events to every client, so only users
 * with one of the required roles may open a connection to it (others get 403 before the upgrade). Operations and
 * entities are checked by CAP on every call as well.
 */
public final class ServiceAccess {

  private ServiceAccess() {}

  public static boolean mayConnect(CdsService service, UserInfo user) {
    if (service == null) {
      return true;
    }
    Object requires = WsAnnotations.value(service, "requires");
    if (requires == null) {
      return true;
    }
    Collection<?> roles = requires instanceof Collection<?> list ? list : List.of(requires);
    return roles.stream().map(String::valueOf).anyMatch(role -> has(user, role));
  }

  /** CAP's pseudo roles, then the user's own roles. */
  private static boolean has(UserInfo user, String role) {
    return switch (role) {
      case "any" -> true;
      case "authenticated-user" -> user.isAuthenticated();
      case "system-user" -> user.isSystemUser();
      case "internal-user" -> user.isInternalUser();
      default -> user.isPrivileged() || user.hasRole(role);
    };
  }
}
