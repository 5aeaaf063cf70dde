package dev.ipckit.shm.inspect;

import dev.ipckit.IpcException;
import dev.ipckit.shm.buffer.BufferDescriptor;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.lock.LockDescriptor;
import dev.ipckit.shm.pipe.PipeDescriptor;
import dev.ipckit.shm.queue.QueueDescriptor;
import dev.ipckit.shm.slab.SlabCopy;
import dev.ipckit.shm.sync.SyncDescriptor;
import dev.ipckit.shm.value.ValueDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a namespace directory without opening it: its registry's processes ({@link #inspect}) and its objects, each
 * with its kind, size, state and holders, or the reason it cannot be read. What this reads, takes and never does
 * is stated in the package summary.
 *
 * <p>Files listed: every directory entry whose name does not start with {@code '.'} (internal files) and holds no
 * {@code '@'} (an object's side files: a value's lock, a queue's spilled messages), so that a foreign file left in
 * the directory is listed too, with the reason it is not an object.
 */
public final class Inspector {
  /** Most bytes of one file copied: every word a decoder reads of any object up to a large queue lies in it. */
  static final int MAX_COPY = 16 << 20;
  /** Elements of an array shown in its state. */
  static final int SHOWN_ELEMENTS = 8;

  private Inspector() {
  }

  /**
   * Every process of the registry and every object of {@code dir}, without the objects' decoded words. An
   * {@link IOException} when {@code dir} is not a directory that can be listed; an {@link IllegalStateException}
   * when this process is in the namespace's registry (see the package summary).
   */
  public static Snapshot inspect(Path dir) throws IOException {
    Processes reg = Processes.read(dir);
    List<ObjectInfo> objects = new ArrayList<>();
    for (String name : listNames(dir)) {
      objects.add(read(dir, name, reg, false));
    }
    SlabCopy slab = SlabCopy.of(dir);
    if (slab != null) {
      try {
        for (SlabCopy.Item it : slab.items()) {
          if (!it.name().contains("@")) {
            objects.add(SmallObjects.read(dir, it, reg, false));
          }
        }
      } catch (IOException e) {
        objects.add(broken(".slab", 0, e.getMessage()));
      }
      objects.sort(java.util.Comparator.comparing(ObjectInfo::name));
    }
    return new Snapshot(dir, reg.slots, reg.problem, Collections.unmodifiableList(objects));
  }

  /**
   * Everything about the object {@code name} of {@code dir}, every decoded word included; null when there is no such
   * file. Exceptions as for {@link #inspect}.
   */
  public static ObjectInfo object(Path dir, String name) throws IOException {
    checkDirectory(dir);
    if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("@")) {
      return null;
    }
    Processes reg = Processes.read(dir);
    if (!Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
      SlabCopy slab = SlabCopy.of(dir);
      SlabCopy.Item it = slab == null ? null : slab.find(name);
      return it == null ? null : SmallObjects.read(dir, it, reg, true);
    }
    return read(dir, name, reg, true);
  }

  /** Only the registry: its claimed slots and their life. Exceptions as for {@link #inspect}. */
  public static Snapshot processes(Path dir) throws IOException {
    checkDirectory(dir);
    Processes reg = Processes.read(dir);
    return new Snapshot(dir, reg.slots, reg.problem, List.of());
  }

  private static void checkDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a directory");
    }
  }

  private static List<String> listNames(Path dir) throws IOException {
    checkDirectory(dir);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".") && !n.contains("@")) {
          names.add(n);
        }
      }
    }
    Collections.sort(names);
    return names;
  }

  // ------------------------------------------------------------------ files

  /**
   * A copy of the start of {@code p} after checking it is a regular file of this user; an IOException whose message
   * says why not (the reason listed).
   */
  static ByteBuffer copy(Path p, long size) throws IOException {
    String problem = SafeFiles.problem(p, false);
    if (problem != null) {
      throw new IOException("the file " + problem);
    }
    ByteBuffer b;
    try {
      b = MappedFile.copyOf(p, (int) Math.min(size, MAX_COPY));
    } catch (IpcException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (b == null) {
      throw new NoSuchFileException(p.toString(), null, "removed while being read");
    }
    return b;
  }

  /** Why the copy {@code b} of a file of {@code size} bytes is not an ipckit object of this version; null if it is. */
  static String headerProblem(ByteBuffer b, long size) {
    if (b.capacity() < FileHeader.LENGTH) {
      return "not an ipckit file: " + size + " bytes, shorter than the " + FileHeader.LENGTH + "-byte header";
    }
    long magic = b.getLong(FileHeader.MAGIC_OFFSET);
    if (magic != FileHeader.MAGIC) {
      return "not an ipckit file: magic 0x" + Long.toHexString(magic);
    }
    int version = b.getInt(FileHeader.VERSION_OFFSET);
    if (version != FileHeader.LAYOUT_VERSION) {
      return "layout version " + version + "; this ipckit reads version " + FileHeader.LAYOUT_VERSION;
    }
    int ready = b.getInt(FileHeader.INITIALISED_OFFSET);
    if (ready != FileHeader.READY) {
      return "never completely initialised (initialised word 0x" + Integer.toHexString(ready) + ")";
    }
    int code = b.getInt(FileHeader.KIND_OFFSET);
    if (Kind.of(code) == null) {
      return "unknown kind " + code;
    }
    long recorded = b.getLong(FileHeader.FILE_LENGTH_OFFSET);
    if (recorded != size) {
      return "damaged: the header says " + recorded + " bytes, the file has " + size + " (truncated?)";
    }
    return null;
  }

  private static ObjectInfo read(Path dir, String name, Processes reg, boolean withFields) {
    Path p = dir.resolve(name);
    long size = 0;
    ByteBuffer b;
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      size = a.size();
      b = copy(p, size);
    } catch (IOException e) {
      return broken(name, size, e instanceof NoSuchFileException ? "removed while being read" : e.getMessage());
    }
    String problem = headerProblem(b, size);
    if (problem != null) {
      return new ObjectInfo(name, null, size, Map.of(), List.of(), problem,
          withFields ? Fields.header(b).list() : List.of());
    }
    Kind kind = Kind.of(b.getInt(FileHeader.KIND_OFFSET));
    if (kind == Kind.REGISTRY) {
      return new ObjectInfo(name, null, size, Map.of(), List.of(), "a process registry under an object's name",
          List.of());
    }
    Map<String, Object> state = new LinkedHashMap<>();
    List<Holder> holders = new ArrayList<>();
    Fields f;
    try {
      f = decode(dir, name, kind, b, state, holders, reg);
    } catch (RuntimeException e) {     // a word the layout needs lies outside the file
      return new ObjectInfo(name, kind.label(), size, Map.of(), List.of(), "damaged: its " + kind.label()
          + " words cannot be read (" + e + ")", withFields ? Fields.header(b).list() : List.of());
    }
    return new ObjectInfo(name, kind.label(), size, Collections.unmodifiableMap(state),
        Collections.unmodifiableList(holders), null, withFields ? f.list() : List.of());
  }

  private static ObjectInfo broken(String name, long size, String why) {
    return new ObjectInfo(name, null, size, Map.of(), List.of(), why, List.of());
  }

  // ------------------------------------------------------------------ kinds

  private static Fields decode(Path dir, String name, Kind kind, ByteBuffer b, Map<String, Object> state,
      List<Holder> holders, Processes reg) {
    long arg0 = b.getLong(FileHeader.ARG0_OFFSET);
    long arg1 = b.getLong(FileHeader.ARG1_OFFSET);
    Fields f;
    switch (kind) {
      case INT:
        f = ValueDescriptor.decode(b, true);
        state.put("value", f.get("value"));
        valueLock(dir, name, holders, reg);
        return f;
      case LONG:
        f = ValueDescriptor.decode(b, false);
        state.put("value", f.get("value"));
        valueLock(dir, name, holders, reg);
        return f;
      case DOUBLE:
        f = ValueDescriptor.decode(b, false);
        state.put("value", Double.longBitsToDouble(f.get("value")));
        valueLock(dir, name, holders, reg);
        return f;
      case INT_ARRAY: case LONG_ARRAY: case DOUBLE_ARRAY: case BYTE_ARRAY: case FLOAT_ARRAY: case BOOLEAN_ARRAY:
        f = ValueDescriptor.decodeArray(b);
        state.put("length", arg0);
        state.put("elements", elements(kind, b, arg0));
        valueLock(dir, name, holders, reg);
        return f;
      case BUFFER:
        f = BufferDescriptor.decode(b);
        state.put("bytes", arg0);
        return f;
      case LOCK: case RLOCK: case FILE_LOCK:
        f = LockDescriptor.decode(b);
        state.put("held", f.get("owner") != 0L);
        state.put("takeovers", f.get("takeovers"));
        holder(holders, "holder", f.get("owner"), 0, reg);
        return f;
      case EVENT:
        f = SyncDescriptor.decode(b);
        state.put("set", f.get("state") == 1L);
        return f;
      case SEMAPHORE: case BOUNDED_SEMAPHORE:
        f = SyncDescriptor.decode(b);
        state.put("permits", f.get("count") >>> 17);
        if (kind == Kind.BOUNDED_SEMAPHORE) {
          state.put("bound", arg0);
        }
        state.put("reclaims", f.get("reclaims"));
        for (Map.Entry<Long, Long> e : entries(f, "held").entrySet()) {
          if (e.getValue() > 0) {
            holder(holders, "permits", e.getKey(), e.getValue(), reg);
          }
        }
        return f;
      case BARRIER: {
        f = SyncDescriptor.decode(b);
        long s = f.get("state");
        long generation = s >>> 32;
        state.put("parties", arg0);
        state.put("arrived", s & 0x7FFF_FFFFL);
        state.put("generation", generation);
        state.put("broken", (s & (1L << 31)) != 0);
        if ((s & 0x7FFF_FFFFL) != 0) {
          for (Map.Entry<Long, Long> e : entries(f, "generation").entrySet()) {
            if (e.getValue() == generation) {
              holder(holders, "waiting", e.getKey(), 0, reg);
            }
          }
        }
        return f;
      }
      case QUEUE: {
        f = QueueDescriptor.decode(b);
        long dataLength = (arg1 >>> 16) & 0xFFFF_FFFFL;
        state.put("depth", f.get("tail") - f.get("head"));
        state.put("capacity", arg0);
        state.put("dataUsed", f.get("dataTail") - f.get("dataHead"));
        state.put("dataLength", dataLength);
        state.put("spillFiles", (long) sideFiles(dir, name + "@spill-") + sideFiles(dir, name + "@taken-"));
        state.put("consumersParked", b.getLong(FileHeader.SLEEP_OFFSET) != 0L);
        state.put("producersParked", b.getLong(FileHeader.SECOND_SLEEP_OFFSET) != 0L);
        holder(holders, "producer", f.get("producerLock"), 0, reg);
        holder(holders, "consumer", f.get("consumerLock"), 0, reg);
        return f;
      }
      case PIPE: {
        f = PipeDescriptor.decode(b);
        state.put("duplex", arg1 == 1L);
        state.put("capacity", arg0);
        state.put("leftClosed", Long.valueOf(1L).equals(f.get("left.closed")));
        state.put("rightClosed", Long.valueOf(1L).equals(f.get("right.closed")));
        state.put("bytesIntoLeft", difference(f, "intoLeft"));
        if (arg1 == 1L) {
          state.put("bytesIntoRight", difference(f, "intoRight"));
        }
        holder(holders, "left", f.get("left.owner"), 0, reg);
        holder(holders, "right", f.get("right.owner"), 0, reg);
        return f;
      }
      default:
        return Fields.header(b);
    }
  }

  private static Long difference(Fields f, String ring) {
    Long tail = f.get(ring + ".tail");
    Long head = f.get(ring + ".head");
    return tail == null || head == null ? null : tail - head;
  }

  /** The first elements of an array copy, typed. */
  private static List<Object> elements(Kind kind, ByteBuffer b, long length) {
    List<Object> out = new ArrayList<>();
    int at = ValueDescriptor.ELEMENTS_OFFSET;
    for (int i = 0; i < Math.min(length, SHOWN_ELEMENTS); i++) {
      switch (kind) {
        case INT_ARRAY: out.add((long) b.getInt(at + 4 * i)); break;
        case FLOAT_ARRAY: out.add((double) Float.intBitsToFloat(b.getInt(at + 4 * i))); break;
        case LONG_ARRAY: out.add(b.getLong(at + 8 * i)); break;
        case DOUBLE_ARRAY: out.add(Double.longBitsToDouble(b.getLong(at + 8 * i))); break;
        case BOOLEAN_ARRAY: out.add(b.get(at + i) != 0); break;
        default: out.add((long) b.get(at + i)); break;
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Token to value of every slot-table entry {@code slotN.token} / {@code slotN.<value>} a decoder listed. */
  private static Map<Long, Long> entries(Fields f, String value) {
    Map<Long, Long> out = new LinkedHashMap<>();
    for (Fields.Field field : f.list()) {
      if (field.name().startsWith("slot") && field.name().endsWith(".token") && field.value() != null) {
        String slot = field.name().substring(0, field.name().length() - ".token".length());
        Long v = f.get(slot + "." + value);
        if (v != null) {
          out.put(field.value(), v);
        }
      }
    }
    return out;
  }

  /** The holder of a value's lock file {@code name@lock}, when it has one and it is held. */
  static void valueLock(Path dir, String name, List<Holder> holders, Processes reg) {
    SlabCopy slab = SlabCopy.of(dir);
    try {
      SlabCopy.Item it = slab == null ? null : slab.find(name + "@lock");
      if (it != null) {
        holder(holders, "lock", it.body().getLong(LockDescriptor.OWNER), 0, reg);
        return;
      }
    } catch (IOException e) {
      return;                                      // a damaged slab: listed on its own
    }
    Path p = dir.resolve(name + "@lock");
    try {
      long size = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
      ByteBuffer b = copy(p, size);
      if (headerProblem(b, size) == null) {
        holder(holders, "lock", LockDescriptor.decode(b).get("owner"), 0, reg);
      }
    } catch (IOException e) {
      // no lock file (never locked), or not one to read: nothing to show
    }
  }

  private static int sideFiles(Path dir, String prefix) {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path ignored : ds) {
        n++;
      }
    } catch (IOException e) {
      return -1;
    }
    return n;
  }

  static void holder(List<Holder> holders, String role, Long token, long count, Processes reg) {
    if (token != null && token != 0L) {
      holders.add(new Holder(role, token, reg.pidOf(token), reg.lifeOf(token), count));
    }
  }
}
