package dev.ipckit.shm.pipe;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.Pipes;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * One end of a {@link ShmPipe}: {@link Connection} over the rings of a pipe file.
 *
 * <p>The first send, receive or poll through a connection claims its end for this process ({@link PipeEnd});
 * closing the last connection of this JVM that used the end releases it and marks it closed, which the peer sees
 * as end-of-file. A connection serializes as where its end lives (namespace, pipe name, which end, duplex flag,
 * codec) and reopens in the receiving JVM.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: messages are sent and received whole, sends in one
 * order, receives in one order.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before {@code send(m)} happen-before actions after the
 * {@code recv()} that returns {@code m}, in any process.
 *
 * <p><b>Peer death.</b> A receiver sees {@link EOFException} once the peer end is closed or its owner process
 * died and everything sent before has been received; a blocked receiver notices within a few milliseconds. A
 * sender whose reader is closed or dead gets an {@link IOException}.
 */
final class ShmConnection<E> extends ShmHandle implements Connection<E> {
  private static final long serialVersionUID = 1L;

  private final transient PipeEnd end;
  private final transient Codec<E> codec;
  private transient volatile boolean used;

  ShmConnection(NamespaceView ns, String name, PipeEnd end, Codec<E> codec) {
    super(ns, name, Kind.PIPE, end.end, end.duplex, codec);
    this.end = end;
    this.codec = codec;
  }

  /** Claims the end for this process on first use; IllegalStateException when another live process owns it. */
  private void use() {
    if (!used) {
      useSlow();
    }
  }

  private synchronized void useSlow() {
    checkOpen();
    if (!used) {
      end.addUser();
      used = true;
    }
  }

  /**
   * A connection that arrived from another JVM (captured by a task, sent in a message) claims its end at once,
   * so that the death of the process that received it is an EOF for the peer even if it never used the end.
   * An end in use by another live process is left alone here: using it will say so.
   */
  void claimOnArrival() {
    try {
      useSlow();
    } catch (IllegalStateException inUseElsewhere) {
      // reported on first use, with the owner's pid
    }
  }

  private void checkSend() {
    checkOpen();
    if (!end.canSend) {
      throw Pipes.receiveOnly(where());
    }
    use();
  }

  private void checkRecv(String op) {
    checkOpen();
    if (!end.canRecv) {
      throw Pipes.sendOnly(where(), op);
    }
    use();
  }

  private String where() {
    return Pipes.label(name, ns.dir());
  }

  @Override
  public void send(E message) throws IOException, InterruptedException {
    Objects.requireNonNull(message, "message");
    checkSend();
    end.send(Pipes.encode(codec, message), this);
  }

  @Override
  public E recv() throws EOFException, IOException, InterruptedException {
    checkRecv("recv");
    return Pipes.decode(codec, end.recv(this), this);
  }

  @Override
  public boolean poll(Duration timeout) throws IOException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    checkRecv("poll");
    long nanos;
    try {
      nanos = Math.max(0L, timeout.toNanos());
    } catch (ArithmeticException e) {
      nanos = timeout.isNegative() ? 0L : Long.MAX_VALUE / 2;
    }
    return end.poll(Math.min(nanos, Long.MAX_VALUE / 2), this);
  }

  @Override
  public void sendBytes(byte[] b) throws IOException, InterruptedException {
    Objects.requireNonNull(b, "b");
    checkSend();
    end.send(b, this);
  }

  @Override
  public byte[] recvBytes() throws EOFException, IOException, InterruptedException {
    checkRecv("recvBytes");
    return end.recv(this);
  }

  /** True when this end can receive: both ends of a duplex pipe, the left end of a half-duplex one. */
  @Override
  public boolean readable() {
    return end.canRecv;
  }

  /** True when this end can send: both ends of a duplex pipe, the right end of a half-duplex one. */
  @Override
  public boolean writable() {
    return end.canSend;
  }

  /** Which end: 0 for left, 1 for right. */
  int end() {
    return end.end;
  }

  PipeEnd pipeEnd() {
    return end;
  }

  @Override
  protected void onClose() {
    synchronized (this) {
      if (used) {
        used = false;
        end.removeUser();
      }
    }
  }

  @Override
  public String toString() {
    return Pipes.describeEnd(end.end, end.duplex, where(), isClosed());
  }
}
