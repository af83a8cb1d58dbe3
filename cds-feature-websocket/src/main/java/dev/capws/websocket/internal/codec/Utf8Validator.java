package dev.capws.websocket.internal.codec;

/**
 * Checks UTF-8 as it arrives, across frames and reads, so that a text message fails at its first invalid byte
 * instead of when it ends (RFC 6455, 8.1; the Autobahn testsuite's section 6.4): a client cannot make the server
 * buffer a message that is already known to be broken. As strict as Java's decoder with {@code REPORT}: no overlong
 * forms, no surrogates, nothing above U+10FFFF (the WHATWG decoder's bounds).
 */
final class Utf8Validator {

  /** Continuation bytes the current character still needs. */
  private int needed;
  /** Bounds of the next continuation byte (narrower after E0, ED, F0, F4). */
  private int lower = 0x80;
  private int upper = 0xBF;

  /** False at the first byte that cannot be UTF-8; the validator is then of no further use. */
  boolean accept(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (needed == 0) {
        while (i < end && bytes[i] >= 0) { // ASCII, the common case
          i++;
        }
        if (i == end) {
          return true;
        }
      }
      if (!accept(bytes[i++] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  /** One byte. */
  boolean accept(int b) {
    if (needed == 0) {
      if (b < 0x80) {
        return true;
      }
      if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        lower = b == 0xE0 ? 0xA0 : 0x80;
        upper = b == 0xED ? 0x9F : 0xBF;
        needed = 2;
      } else if (b >= 0xF0 && b <= 0xF4) {
        lower = b == 0xF0 ? 0x90 : 0x80;
        upper = b == 0xF4 ? 0x8F : 0xBF;
        needed = 3;
      } else {
        return false;
      }
      return true;
    }
    if (b < lower || b > upper) {
      return false;
    }
    lower = 0x80;
    upper = 0xBF;
    needed--;
    return true;
  }

  /** Whether the text so far ends on a whole character (a message must). */
  boolean complete() {
    return needed == 0;
  }

  void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
  }
}
