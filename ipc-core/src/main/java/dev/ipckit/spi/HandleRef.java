package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The serialized form of every handle: where the object lives, not its contents. Handles write this from
 * {@code writeReplace}; reading it back reopens the object in the receiving JVM through {@link Ipc#attach(Path)},
 * the way Python passes a {@code Value} or a {@code Connection} to a child process.
 *
 * <p>A plain class rather than a record on purpose: a record is deserialized through method handles built on
 * first use, which costs a fresh child JVM some 20 ms; a class is read by plain field assignment.
 */
public final class HandleRef implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String dir;
  private final String kind;
  private final String name;
  private final long arg;
  private final boolean flag;
  private final Codec<?> codec;

  /**
   * @param dir   the namespace directory (absolute)
   * @param kind  the backend's name for the kind of object
   * @param name  the object's name in the namespace
   * @param arg   a kind-specific number (array length, capacity, permits, parties, pipe end); 0 when unused
   * @param flag  a kind-specific flag (pipe duplex); false when unused
   * @param codec the codec of a queue or pipe; null otherwise
   */
  public HandleRef(String dir, String kind, String name, long arg, boolean flag, Codec<?> codec) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.arg = arg;
    this.flag = flag;
    this.codec = codec;
  }

  public String dir() {
    return dir;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public long arg() {
    return arg;
  }

  public boolean flag() {
    return flag;
  }

  public Codec<?> codec() {
    return codec;
  }

  private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (dir == null || kind == null || name == null) {
      throw new InvalidObjectException("a handle without namespace, kind or name: " + this);
    }
  }

  private Object readResolve() throws ObjectStreamException {
    return reopen();
  }

  /**
   * Opens the object this reference names in this JVM, through the namespace at {@link #dir()}.
   *
   * @throws dev.ipckit.IpcException if the object does not exist (reopening never creates) or does not match
   */
  public Object reopen() {
    return Ipc.attach(Path.of(dir)).namespace().reopen(this);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HandleRef)) {
      return false;
    }
    HandleRef r = (HandleRef) o;
    return arg == r.arg && flag == r.flag && dir.equals(r.dir) && kind.equals(r.kind) && name.equals(r.name)
        && Objects.equals(codec, r.codec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, kind, name, arg, flag, codec);
  }

  @Override
  public String toString() {
    return "HandleRef[dir=" + dir + ", kind=" + kind + ", name=" + name + ", arg=" + arg + ", flag=" + flag
        + ", codec=" + codec + "]";
  }
}
