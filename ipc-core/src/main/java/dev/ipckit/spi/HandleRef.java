package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The serialized form of every handle: where the object lives, not its contents. Handles write this from
 * {@code writeReplace}; reading it back reopens the object in the receiving JVM through {@link Ipc#attach(Path)},
 * the way Python passes a {@code Value} or a {@code Connection} to a child process.
 *
 * @param dir   the namespace directory (absolute)
 * @param kind  the backend's name for the kind of object
 * @param name  the object's name in the namespace
 * @param arg   a kind-specific number (array length, capacity, permits, parties, pipe end); 0 when unused
 * @param flag  a kind-specific flag (pipe duplex); false when unused
 * @param codec the codec of a queue or pipe; null otherwise
 */
public record HandleRef(String dir, String kind, String name, long arg, boolean flag, Codec<?> codec)
    implements Serializable {

  public HandleRef {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  private Object readResolve() throws ObjectStreamException {
    return Ipc.attach(Path.of(dir)).namespace().reopen(this);
  }
}
