package dev.capws.bench;

/** Byte searches on received frames: the scenarios find their markers without parsing JSON. */
final class Bytes {

  private Bytes() {
  }

  /** The first index of needle in a[from, to), -1 if it is not there. */
  static int indexOf(byte[] a, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
