package dev.capws.websocket.spi;

/**
 * A client frame that cannot be dispatched, with the status and code its error reply carries. A client mistake, not
 * a server fault: it is logged at debug level only.
 */
public final class FrameRejected extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String target;

  public FrameRejected(int status, String code, String message) {
    this(status, code, message, null);
  }

  public FrameRejected(int status, String code, String message, String target) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.target = target;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The parameter the error is about, or null. */
  public String target() {
    return target;
  }
}
