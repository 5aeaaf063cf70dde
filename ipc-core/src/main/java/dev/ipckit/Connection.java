package dev.ipckit;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/** One end of a {@link Pipe}. */
public interface Connection<E> extends Serializable, AutoCloseable {
  void send(E message) throws IOException, InterruptedException;
  /** The next message; {@link EOFException} once the peer closed or died and everything it sent was read. */
  E recv() throws EOFException, IOException, InterruptedException;
  /** True when a message (or EOF) can be received without blocking, waiting up to {@code timeout}. */
  boolean poll(Duration timeout) throws IOException, InterruptedException;
  void sendBytes(byte[] b) throws IOException, InterruptedException;
  byte[] recvBytes() throws EOFException, IOException, InterruptedException;
  boolean readable();
  boolean writable();
  @Override void close();
}
