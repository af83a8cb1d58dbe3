package dev.capws.websocket.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.services.authentication.BasicAuthenticationInfo;
import com.sap.cds.services.authentication.JwtTokenAuthenticationInfo;
import com.sap.cds.services.request.UserInfo;

import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.model.WebSocketEndpoint;

class TokenExpiryTest {

  private static String jwt(String payload) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".signature";
  }

  @Test
  @DisplayName("A1: the expiry of a JWT upgrade request is read from its exp claim")
  void jwtExpiry() {
    assertThat(TokenExpiry.of(new JwtTokenAuthenticationInfo(jwt("{\"sub\":\"a\",\"exp\":1795000000}"))))
        .contains(Instant.ofEpochSecond(1795000000));
    assertThat(TokenExpiry.of(new JwtTokenAuthenticationInfo(jwt("{\"sub\":\"a\"}")))).isEmpty();
    assertThat(TokenExpiry.of(new JwtTokenAuthenticationInfo("not a token"))).isEmpty();
    assertThat(TokenExpiry.of(new JwtTokenAuthenticationInfo(jwt("not json")))).isEmpty();
    assertThat(TokenExpiry.of(new BasicAuthenticationInfo("u", "p"))).isEmpty();
    assertThat(TokenExpiry.of(null)).isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName("A1: a connection counts as expired from its token's expiry on, never without a token")
  void connectionExpiry() {
    Connection connection = new Connection(WebSocketEndpoint.route("/ws/x"), UserInfo.create().setName("a"), null,
        Limits.defaults());
    Instant now = Instant.now();
    assertThat(connection.isExpired(now)).isFalse();
    connection.expiresAt(now.plusSeconds(60));
    assertThat(connection.isExpired(now)).isFalse();
    assertThat(connection.isExpired(now.plusSeconds(60))).isTrue();
  }
}
