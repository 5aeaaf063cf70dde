package dev.ipckit.shm.format;

import dev.ipckit.IpcException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A namespace file mapped into memory: create-or-open with a checked {@link FileHeader}.
 *
 * <p>Creation writes the whole file under a temporary name and publishes it with a hard link, which fails if
 * the name exists: two processes creating the same name at once agree on one file, and nobody ever maps a
 * half-initialised one. Opening validates magic, version, kind, sizes and the file's real length before
 * mapping the body, so a foreign or truncated file is an {@link IpcException} naming the path and what was
 * found, never a SIGBUS.
 *
 * <p>Every file is opened through {@link SafeFiles#openOwnFile}: never through a symbolic link, and only a regular
 * file owned by this user with mode 0600. Before a new file is made, the namespace directory's file key is compared
 * with the one it had when the namespace was opened, so a directory replaced under the namespace is refused rather
 * than written into. JDK 17 has no {@code openat}: the create itself resolves the path by name again, and a parent
 * swapped between that check and the create is not seen (see {@link SafeFiles} for who can do that).
 *
 * <p>A {@code MappedFile} is what {@link #openOrCreate} and {@link #open} return: the file's path, the kind and
 * header args it was checked to have, and its mapping.
 *
 * @param path the file
 * @param kind the kind its header names
 * @param arg0 its header's first arg (length, capacity, parties, ...)
 * @param arg1 its header's second arg (element size, slot and data sizes, flags, ...)
 * @param buffer the whole file, header included; native order
 */
public record MappedFile(Path path, Kind kind, long arg0, long arg1, ByteBuffer buffer) {

  /** What a caller expects of a file: its kind, header args and body length, how to fill a new one. */
  public static final class Spec {
    /** Says what differs between an existing file's args and the expected ones ("capacity 10, not 20"); null if they fit. */
    @FunctionalInterface
    public interface Mismatch {
      String describe(long arg0, long arg1);
    }

    private final Kind kind;
    private final long arg0;
    private final long arg1;
    private final long bodyLength;
    private final Consumer<ByteBuffer> init;
    private final Mismatch mismatch;

    private Spec(Kind kind, long arg0, long arg1, long bodyLength, Consumer<ByteBuffer> init, Mismatch mismatch) {
      this.kind = kind;
      this.arg0 = arg0;
      this.arg1 = arg1;
      this.bodyLength = bodyLength;
      this.init = init;
      this.mismatch = mismatch;
    }

    public Kind kind() {
      return kind;
    }

    long arg0() {
      return arg0;
    }

    long arg1() {
      return arg1;
    }

    /** Body length in bytes for these args. */
    long bodyLength() {
      return bodyLength;
    }

    /** Writes the initial body into a new file (header already written). */
    void init(ByteBuffer buf) {
      if (init != null) {
        init.accept(buf);
      }
    }

    /** Null if an existing file's args are acceptable, else what differs. */
    String mismatch(long a0, long a1) {
      if (mismatch != null) {
        return mismatch.describe(a0, a1);
      }
      return a0 == arg0 && a1 == arg1 ? null : "arg0=" + a0 + ", arg1=" + a1;
    }
  }

  /** A spec whose existing files must have exactly these args. */
  public static Spec spec(Kind kind, long arg0, long arg1, long bodyLength, Consumer<ByteBuffer> init) {
    return new Spec(kind, arg0, arg1, bodyLength, init, null);
  }

  /** A spec whose existing files are judged by {@code mismatch}. */
  public static Spec spec(Kind kind, long arg0, long arg1, long bodyLength, Consumer<ByteBuffer> init,
      Spec.Mismatch mismatch) {
    return new Spec(kind, arg0, arg1, bodyLength, init, mismatch);
  }

  /**
   * Throws {@link IllegalArgumentException} naming the object when a file of kind {@code found} with header args
   * {@code arg0}, {@code arg1} does not fit {@code spec}: another kind, or other sizes.
   */
  public static void checkFits(Path path, Kind found, long arg0, long arg1, Spec spec) {
    String name = path.getFileName().toString();
    if (found != spec.kind()) {
      throw new IllegalArgumentException("\"" + name + "\" in " + path.getParent() + " is a " + found.label()
          + ", not a " + spec.kind().label());
    }
    String mismatch = spec.mismatch(arg0, arg1);
    if (mismatch != null) {
      throw new IllegalArgumentException(found.label() + " \"" + name + "\" in " + path.getParent()
          + " already exists with " + mismatch);
    }
  }

  /**
   * Creates {@code dir/name} as {@code spec} says, or opens and checks the existing file; {@code dir} must still
   * be the directory it is now when a file is created.
   */
  public static MappedFile openOrCreate(Path dir, String name, Spec spec) {
    Object dirKey;
    try {
      dirKey = SafeFiles.fileKey(dir);
    } catch (IOException e) {
      throw new IpcException("cannot open the namespace directory " + dir + ": " + e, e);
    }
    return openOrCreate(dir, dirKey, name, spec);
  }

  /**
   * Creates {@code dir/name} as {@code spec} says, or opens and checks the existing file. A new file is made only
   * while {@code dir} still has the file key {@code dirKey} ({@link SafeFiles#fileKey}, read when the namespace was
   * opened).
   */
  public static MappedFile openOrCreate(Path dir, Object dirKey, String name, Spec spec) {
    Path path = dir.resolve(name);
    boolean interrupted = Thread.interrupted(); // a pending interrupt would close the channel mid-map
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          return open(path, spec);
        } catch (NoSuchFileException e) {
          MappedFile created = create(dir, dirKey, path, spec);
          if (created != null) {
            return created;
          }
          if (attempt > 100) {
            throw new IpcException("cannot create or open " + path + ": it keeps appearing and disappearing");
          }
        } catch (IOException e) {
          throw new IpcException("cannot open " + path + ": " + e, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Opens an existing file, checking it against {@code spec}. */
  public static MappedFile open(Path path, Spec spec) throws IOException {
    try (FileChannel ch = SafeFiles.openOwnFile(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size < FileHeader.LENGTH) {
        throw new IpcException(path + " is not an ipckit " + spec.kind().label() + ": the file is " + size
            + " bytes, shorter than the " + FileHeader.LENGTH + "-byte header (truncated or foreign)");
      }
      ByteBuffer h = ByteBuffer.allocate(FileHeader.LENGTH).order(ByteOrder.nativeOrder());
      while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
        // read the header with plain I/O before mapping anything
      }
      long magic = h.getLong(FileHeader.MAGIC_OFFSET);
      if (magic != FileHeader.MAGIC) {
        throw new IpcException(path + " is not an ipckit file: magic 0x" + Long.toHexString(magic)
            + ", expected 0x" + Long.toHexString(FileHeader.MAGIC) + " (a foreign file in the namespace directory?)");
      }
      int version = h.getInt(FileHeader.VERSION_OFFSET);
      if (version != FileHeader.LAYOUT_VERSION) {
        throw new IpcException(path + " has layout version " + version + "; this ipckit reads version "
            + FileHeader.LAYOUT_VERSION);
      }
      int ready = h.getInt(FileHeader.INITIALISED_OFFSET);
      if (ready != FileHeader.READY) {
        throw new IpcException(path + " was never completely initialised (initialised word 0x"
            + Integer.toHexString(ready) + "): remove it and create it again");
      }
      int kindCode = h.getInt(FileHeader.KIND_OFFSET);
      Kind found = Kind.of(kindCode);
      if (found == null) {
        throw new IpcException(path + " holds an object of unknown kind " + kindCode);
      }
      long arg0 = h.getLong(FileHeader.ARG0_OFFSET);
      long arg1 = h.getLong(FileHeader.ARG1_OFFSET);
      checkFits(path, found, arg0, arg1, spec);
      long expected = FileHeader.LENGTH + spec.bodyLength();
      long recorded = h.getLong(FileHeader.FILE_LENGTH_OFFSET);
      if (recorded != expected || size < expected) {
        throw new IpcException(path + " is damaged: header says " + recorded + " bytes, its " + found.label()
            + " layout needs " + expected + ", the file has " + size + " (truncated?)");
      }
      if (expected > Integer.MAX_VALUE) {
        throw new IpcException(path + " is " + expected + " bytes, more than one mapping holds");
      }
      return new MappedFile(path, found, arg0, arg1, map(ch, path, expected));
    }
  }

  /**
   * A copy of the first {@code maxBytes} bytes of the file {@code path} (all of it if shorter) in a direct buffer
   * of native order, for the read-only decoders ({@link Fields}) and header checks; null if there is no such file.
   * The file is opened as every file is ({@link SafeFiles#openOwnFile}) and read, never mapped, so a truncated or
   * foreign file reads safely. Opening a descriptor drops the POSIX record locks this JVM holds on the file: call
   * it only for a file whose lock, if any, this JVM does not hold (one it has not mapped).
   */
  public static ByteBuffer copyOf(Path path, int maxBytes) {
    boolean interrupted = Thread.interrupted(); // a pending interrupt would close the channel mid-read
    try (FileChannel ch = SafeFiles.openOwnFile(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(ch.size(), maxBytes)).order(ByteOrder.nativeOrder());
      while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
        // read up to maxBytes; a file that shrank meanwhile leaves zeros
      }
      return b.clear();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IpcException("cannot read " + path + ": " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Maps {@code length} bytes of {@code ch} (the file {@code path}), counted against {@link MapLimit}. */
  private static MappedByteBuffer map(FileChannel ch, Path path, long length) throws IOException {
    MapLimit.reserve(path);
    MappedByteBuffer map;
    try {
      map = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
    } catch (IOException | RuntimeException | Error e) {
      MapLimit.cancel();
      throw e;
    }
    MapLimit.track(map);
    map.order(ByteOrder.nativeOrder());
    return map;
  }

  /** Temporary names start with this, then the creator's pid and a dash (what {@code core.Leftovers} parses). */
  public static final String TEMP_PREFIX = ".tmp-";

  /**
   * A fresh temporary name in {@code dir} for a file this process writes before publishing it under its real name
   * by a hard link: {@code .tmp-<pid>-<tag><random>}, so that the leftovers of a killed creator can be told apart.
   */
  public static Path tempName(Path dir, String tag) {
    return dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + tag
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /** Creates the file; null if another process published the name first. */
  private static MappedFile create(Path dir, Object dirKey, Path path, Spec spec) {
    long total = FileHeader.LENGTH + spec.bodyLength();
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(spec.kind().label() + " \"" + path.getFileName() + "\" would need "
          + total + " bytes; at most " + Integer.MAX_VALUE + " fit one file");
    }
    Path tmp = tempName(dir, "");
    MappedByteBuffer map;
    SafeFiles.checkSameDirectory(dir, dirKey);
    try {
      try (FileChannel ch = SafeFiles.openOwnFile(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        // write every byte (zeros) rather than extend a sparse file: a full file system (a full /dev/shm) is
        // then an IOException here, not a SIGBUS at the first store into an unbacked page of the mapping
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(total, 1 << 16));
        for (long at = 0; at < total; ) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), total - at));
          at += ch.write(zeros, at);
        }
        map = map(ch, path, total);
      }
      map.putLong(FileHeader.MAGIC_OFFSET, FileHeader.MAGIC);
      map.putInt(FileHeader.VERSION_OFFSET, FileHeader.LAYOUT_VERSION);
      map.putInt(FileHeader.KIND_OFFSET, spec.kind().code());
      map.putLong(FileHeader.ARG0_OFFSET, spec.arg0());
      map.putLong(FileHeader.ARG1_OFFSET, spec.arg1());
      map.putLong(FileHeader.FILE_LENGTH_OFFSET, total);
      map.putLong(FileHeader.CREATOR_PID_OFFSET, ProcessHandle.current().pid());
      spec.init(map);
      // publish: everything above happens-before a reader that sees READY
      Mem.INT.setRelease((ByteBuffer) map, FileHeader.INITIALISED_OFFSET, FileHeader.READY);
      SafeFiles.checkSameDirectory(dir, dirKey);
      try {
        Files.createLink(path, tmp);   // link(2) never follows a link at either name
      } catch (FileAlreadyExistsException e) {
        return null;
      }
      return new MappedFile(path, spec.kind(), spec.arg0(), spec.arg1(), map);
    } catch (IOException e) {
      throw new IpcException("cannot create " + path + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the link holds the file now; a stray temporary name is swept with the namespace
      }
    }
  }

  @Override
  public String toString() {
    return kind.label() + "[" + path + "]";
  }
}
