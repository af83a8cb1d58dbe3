package dev.capws.websocket.internal.codec;

/** The RFC 6455 close codes the plugin uses, by name, and which codes may travel in a close frame. */
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

  /**
   * Codes a close frame may carry (RFC 6455, 7.4): 1004-1006 and 1015 are reserved, below 3000 only the assigned
   * ones, 3000-4999 for libraries and applications.
   */
  public static boolean maySend(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
  }
}
