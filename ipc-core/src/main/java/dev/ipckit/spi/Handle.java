package dev.ipckit.spi;

/**
 * An object that lives in a namespace and travels between JVMs as the {@link HandleRef} that names it. Every
 * handle a backend returns (values, arrays, locks, queues, pipe ends, ...) implements this, so that ipckit can
 * carry a handle to a child without Java serialization.
 */
public interface Handle {
  /** Where this object lives; reopening the reference in another JVM yields an equivalent handle. */
  HandleRef handleRef();
}
