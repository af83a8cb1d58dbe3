package dev.capws.websocket.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sap.cds.services.authentication.AuthenticationInfo;
import com.sap.cds.services.authentication.JwtTokenAuthenticationInfo;

/**
 * When the token of an upgrade request expires. CAP checks the token once, on the upgrade; a connection outlives it.
 * Reading its {@code exp} lets the plugin close the connection when the token expires (1008), the safe behaviour:
 * nobody keeps acting, or receiving events, on an expired token. The token was validated by CAP's security before
 * the upgrade, so only its payload is read here.
 */
public final class TokenExpiry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenExpiry() {}

  /** The expiry of a JWT (XSUAA, IAS or any OAuth2 resource server), or empty for other authentication. */
  public static Optional<Instant> of(AuthenticationInfo authentication) {
    if (!(authentication instanceof JwtTokenAuthenticationInfo jwt) || jwt.getToken() == null) {
      return Optional.empty();
    }
    return ofToken(jwt.getToken());
  }

  static Optional<Instant> ofToken(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      JsonNode payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      JsonNode exp = payload.get("exp");
      return exp != null && exp.canConvertToLong() ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
          : Optional.empty();
    } catch (Exception e) { // not a readable JWT: no expiry known
      return Optional.empty();
    }
  }
}
