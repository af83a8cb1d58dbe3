package dev.capws.websocket.internal.handshake;

import jakarta.servlet.http.HttpServletResponse;

/** Why an upgrade was refused before the 101: its HTTP status, and the reason as the meters tag it. */
public enum Refusal {
  NO_SERVICE(HttpServletResponse.SC_NOT_FOUND, "no-service"),
  NOT_AN_UPGRADE(426, "not-an-upgrade"),
  SHUTTING_DOWN(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "shutting-down"),
  ORIGIN(HttpServletResponse.SC_FORBIDDEN, "origin"),
  VERSION(426, "version"),
  MALFORMED(HttpServletResponse.SC_BAD_REQUEST, "malformed"),
  NOT_AUTHORIZED(HttpServletResponse.SC_FORBIDDEN, "not-authorized"),
  LIMIT(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "connection-limit"),
  FAILED(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "failed");

  final int status;
  final String tag;

  /** The reason as the meter cds.websocket.handshakes.refused tags it. */
  public String tag() {
    return tag;
  }

  Refusal(int status, String tag) {
    this.status = status;
    this.tag = tag;
  }
}
