package dev.capws.websocket.xsuaa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.sap.cloud.security.config.Service;
import com.sap.cloud.security.test.extension.SecurityTestExtension;
import com.sap.cloud.security.token.TokenClaims;

import dev.capws.websocket.test.WsClient;

/**
 * A1 with XSUAA as CAP Java sets it up (SAP's resource-server library and an xsuaa binding, here from the
 * default-env.json on the test classpath), offline: SAP's test library serves the keys locally and signs the tokens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cds.websocket.heartbeat-interval=500")
class XsuaaTest {

  /** The local key server, at the port of the xsuaa binding in src/test/resources/default-env.json. */
  @RegisterExtension
  static final SecurityTestExtension XSUAA = SecurityTestExtension.forService(Service.XSUAA).setPort(34159);

  @LocalServerPort
  int port;

  @Test
  @DisplayName("A1: without a token the upgrade gets 401; with an XSUAA token it opens and runs as the token's user")
  void tokens() {
    assertThat(WsClient.handshakeStatus(ws())).isEqualTo(401);
    assertThat(WsClient.handshakeStatus(ws(), Map.of("Authorization", "Bearer not.a.token"))).isEqualTo(401);

    String token = XSUAA.getContext().getPreconfiguredJwtGenerator()
        .withClaimValue(TokenClaims.USER_NAME, "alice").withClaimValue(TokenClaims.XSUAA.ZONE_ID, "tenant-1")
        .createToken().getTokenValue();
    try (WsClient alice = WsClient.connect(ws(), Map.of("Authorization", "Bearer " + token))) {
      alice.send(Map.of("event", "me", "data", Map.of()));
      assertThat(alice.next("me").get("data").asText()).isEqualTo("alice@tenant-1");
      alice.send(Map.of("event", "tell", "data", Map.of("text", "hi")));
      assertThat(alice.next("note").at("/data/text").asText()).isEqualTo("hi");
    }
  }

  @Test
  @DisplayName("A1: a connection whose token expires is closed with 1008 (at the next heartbeat)")
  void expiry() {
    String token = XSUAA.getContext().getPreconfiguredJwtGenerator()
        .withClaimValue(TokenClaims.USER_NAME, "bob")
        .withExpiration(Instant.now().plusSeconds(2)).createToken().getTokenValue();
    try (WsClient bob = WsClient.connect(ws(), Map.of("Authorization", "Bearer " + token))) {
      WsClient.Close close = bob.awaitClose();
      assertThat(close.code()).isEqualTo(1008);
      assertThat(close.reason()).isEqualTo("Token expired");
    }
  }

  private URI ws() {
    return URI.create("ws://localhost:" + port + "/ws/secure");
  }
}
