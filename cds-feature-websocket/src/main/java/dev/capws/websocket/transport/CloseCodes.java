package dev.capws.websocket.transport;

/** The RFC 6455 close codes the plugin uses, by name. */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;
  /** Reported when a close frame carried no code; never sent. */
  public static final int NO_STATUS = 1005;
  /** Reported when the connection ended without a close frame; never sent. */
  public static final int ABNORMAL = 1006;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY_VIOLATION = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}
}
