package dev.capws.bench;

/** A run that could not measure what it should (connections refused, a create failed): exit code 2. */
final class SetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SetupException(String message) {
    super(message);
  }
}
