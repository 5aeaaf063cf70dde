package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The serialized form of every handle: where the object lives (its namespace's location, its kind and name), not
 * its contents. Handles write this from {@code writeReplace}; reading it back reopens the object in the receiving
 * JVM through {@link Ipc#attach(URI)}, with the backend that serves the location's scheme, the way Python passes
 * a {@code Value} or a {@code Connection} to a child process.
 *
 * <p>The form carries a {@linkplain #FORMAT_VERSION format version}: a reference written by an ipckit of
 * another format deserializes, and reopening it is an {@link IpcException} naming both versions.
 *
 * <p>A plain class rather than a record on purpose: a record is deserialized through method handles built on
 * first use, which costs a fresh child JVM some 20 ms; a class is read by plain field assignment.
 */
public final class HandleRef implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * The version of this form: 2 has a location (format 1, before locations, had a directory and no version
   * field, so it reads as 0).
   */
  public static final int FORMAT_VERSION = 2;

  private final int version;
  private final String location;
  private final String kind;
  private final String name;
  private final long arg;
  private final boolean flag;
  private final Codec<?> codec;
  private transient volatile URI uri;

  /**
   * @param location where the namespace lives (see {@link Namespace#location()}); never with user info
   * @param kind     the backend's name for the kind of object
   * @param name     the object's name in the namespace
   * @param arg      a kind-specific number (array length, capacity, permits, parties, pipe end); 0 when unused
   * @param flag     a kind-specific flag (pipe duplex); false when unused
   * @param codec    the codec of a queue or pipe; null otherwise
   * @throws IllegalArgumentException if the location has no scheme or holds user info
   */
  public HandleRef(URI location, String kind, String name, long arg, boolean flag, Codec<?> codec) {
    this(FORMAT_VERSION, Locations.check(Objects.requireNonNull(location, "location")).toString(), kind, name, arg,
        flag, codec);
    this.uri = location;
  }

  /** The same for an object in the {@code file:} namespace in directory {@code dir} (absolute). */
  public HandleRef(String dir, String kind, String name, long arg, boolean flag, Codec<?> codec) {
    this(Locations.of(Path.of(Objects.requireNonNull(dir, "dir"))), kind, name, arg, flag, codec);
  }

  /** A reference of any format version, as one from another ipckit arrives. */
  HandleRef(int version, String location, String kind, String name, long arg, boolean flag, Codec<?> codec) {
    this.version = version;
    this.location = Objects.requireNonNull(location, "location");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
    this.arg = arg;
    this.flag = flag;
    this.codec = codec;
  }

  /** The format version this reference was written in ({@link #FORMAT_VERSION} unless it came from elsewhere). */
  public int version() {
    return version == 0 ? 1 : version;
  }

  /** Where the object's namespace lives; its scheme chooses the backend that reopens it. */
  public URI location() {
    URI u = uri;
    if (u == null) {
      u = Locations.parse(location);
      uri = u;
    }
    return u;
  }

  /**
   * The namespace directory of an object in a {@code file:} namespace.
   *
   * @throws UnsupportedOperationException if the namespace lives elsewhere (see {@link #location()})
   */
  public String dir() {
    return Locations.dir(location()).toString();
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
    if (version != FORMAT_VERSION) {
      return;                                 // reopening says so, naming both versions
    }
    if (location == null || kind == null || name == null) {
      throw new InvalidObjectException("a handle without location, kind or name: kind=" + kind + ", name=" + name);
    }
    try {
      location();
    } catch (IllegalArgumentException e) {
      throw new InvalidObjectException("a handle with a bad location: " + e.getMessage());
    }
  }

  private Object readResolve() throws ObjectStreamException {
    return reopen();
  }

  /**
   * Opens the object this reference names in this JVM, through the namespace at {@link #location()} and the
   * backend that serves its scheme.
   *
   * @throws IpcException if the object does not exist (reopening never creates) or does not match, or if this
   *                      reference was written in another format version
   */
  public Object reopen() {
    if (version != FORMAT_VERSION) {
      throw new IpcException("a handle of format version " + version() + " (kind " + kind + ", name \"" + name
          + "\"), this ipckit reads " + FORMAT_VERSION + ": sender and receiver run different ipckit versions");
    }
    return Ipc.attach(location()).namespace().reopen(this);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HandleRef)) {
      return false;
    }
    HandleRef r = (HandleRef) o;
    return version == r.version && arg == r.arg && flag == r.flag && location.equals(r.location)
        && kind.equals(r.kind) && name.equals(r.name) && Objects.equals(codec, r.codec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, location, kind, name, arg, flag, codec);
  }

  @Override
  public String toString() {
    return "HandleRef[location=" + (version == FORMAT_VERSION ? Locations.display(location()) : "?")
        + ", kind=" + kind + ", name=" + name + ", arg=" + arg + ", flag=" + flag + ", codec=" + codec
        + (version == FORMAT_VERSION ? "]" : ", version=" + version() + "]");
  }
}
