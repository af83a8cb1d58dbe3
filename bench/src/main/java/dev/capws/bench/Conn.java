package dev.capws.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client connection. Touched only by its loop's thread once it is submitted, so it needs no locks. */
final class Conn {
  static final int NEW = 0;
  static final int CONNECTING = 1;
  static final int HANDSHAKE = 2;
  /**
   * The WebSocket is open, but the protocol on it has a handshake of its own still running (Socket.IO's namespace
   * connect): frames flow, but the connection does not count as opened yet, and a failure is a failed handshake.
   */
  static final int UPGRADED = 3;
  static final int OPEN = 4;
  static final int CLOSING = 5;
  static final int CLOSED = 6;

  private static final int INITIAL_BUFFER = 2048;

  final int index;
  final Loop loop;
  int state = NEW;
  SocketChannel channel;
  SelectionKey key;
  ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
  ByteBuffer out;
  long startedNanos;
  String expectedAccept;
  byte[] fragments;
  int fragmentsLength;
  boolean closeSent;
  /** Free for the scenario: the fan-out's bitset of received events. */
  Object attachment;
  /** The calls' pipeline: when each slot's call was sent, and its id (-1: the slot is free). */
  long[] sentAt;
  long[] slotIds;

  Conn(int index, Loop loop) {
    this.index = index;
    this.loop = loop;
  }

  boolean isOpen() {
    return state == OPEN;
  }

  /** Whether the server's messages go to the handler: once upgraded (the protocol's handshake needs them) and open. */
  boolean deliversMessages() {
    return state == UPGRADED || state == OPEN;
  }

  /** Writes now; what the socket does not take waits in out (copied) until OP_WRITE. */
  void write(ByteBuffer data) throws IOException {
    if (out != null) {
      ByteBuffer joined = ByteBuffer.allocate(out.remaining() + data.remaining());
      joined.put(out).put(data).flip();
      out = joined;
      return;
    }
    channel.write(data);
    if (data.hasRemaining()) {
      ByteBuffer rest = ByteBuffer.allocate(data.remaining());
      rest.put(data).flip();
      out = rest;
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }
  }

  /** Writes what waits in out; stops asking for OP_WRITE once it is all written. */
  void flush() throws IOException {
    if (out != null) {
      channel.write(out);
      if (out.hasRemaining()) {
        return;
      }
      out = null;
    }
    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
  }

  void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
