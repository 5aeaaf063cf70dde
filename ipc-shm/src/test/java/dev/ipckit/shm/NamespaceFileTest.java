package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.value.ValueDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Files in a namespace that are not what they should be - empty, truncated, foreign, half-made, from another
 * version - are refused on open with an {@link IpcException} naming the file and what was found; nothing is
 * mapped past a file's end (which would be a SIGBUS, a dead JVM).
 */
@Tag("unit")
class NamespaceFileTest {
  private Ipc scratch;
  private Path dir;

  @BeforeEach
  void open() throws IOException {
    scratch = Ipc.temp();
    dir = Files.createDirectory(scratch.dir().resolve("ns")).toRealPath();
  }

  @AfterEach
  void close() {
    scratch.close();
  }

  /** A namespace file with a header written by hand (native order, as ipckit writes it). */
  private Path header(String name, long magic, int version, Kind kind, int kindCode, long arg0, long arg1,
      long recordedLength, int initialised, long actualLength) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(FileHeader.LENGTH).order(ByteOrder.nativeOrder());
    h.putLong(FileHeader.MAGIC_OFFSET, magic);
    h.putInt(FileHeader.VERSION_OFFSET, version);
    h.putInt(FileHeader.KIND_OFFSET, kind != null ? kind.code() : kindCode);
    h.putLong(FileHeader.ARG0_OFFSET, arg0);
    h.putLong(FileHeader.ARG1_OFFSET, arg1);
    h.putLong(FileHeader.FILE_LENGTH_OFFSET, recordedLength);
    h.putLong(FileHeader.CREATOR_PID_OFFSET, 1);
    h.putInt(FileHeader.INITIALISED_OFFSET, initialised);
    Path p = dir.resolve(name);
    try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        OWN)) {
      ch.write(h, 0);
      ch.truncate(actualLength);
      if (actualLength > FileHeader.LENGTH) {
        ch.write(ByteBuffer.allocate(1), actualLength - 1);
      }
    }
    return p;
  }

  /** Hand-made files get the mode ipckit gives its own (0600): what is tested here is their content. */
  private static final FileAttribute<?> OWN = PosixFilePermissions.asFileAttribute(SafeFiles.FILE_MODE);

  private static Path own(Path p) throws IOException {
    Files.setPosixFilePermissions(p, SafeFiles.FILE_MODE);
    return p;
  }

  private static final long LONG_FILE = FileHeader.LENGTH + ValueDescriptor.SCALAR_BODY;

  private IpcException refused(String name) {
    try (Ipc ipc = Ipc.open(dir)) {
      return assertThrows(IpcException.class, () -> ipc.sharedLong(name, 0));
    }
  }

  @Test
  void aZeroLengthFile() throws IOException {
    Files.createFile(dir.resolve("z"), OWN);
    assertEquals(dir.resolve("z") + " is not an ipckit SharedLong: the file is 0 bytes, shorter than the 128-byte"
        + " header (truncated or foreign)", refused("z").getMessage());
  }

  @Test
  void aShortForeignFile() throws IOException {
    own(Files.writeString(dir.resolve("t"), "hello, I am a text file\n"));
    assertEquals(dir.resolve("t") + " is not an ipckit SharedLong: the file is 24 bytes, shorter than the 128-byte"
        + " header (truncated or foreign)", refused("t").getMessage());
  }

  @Test
  void aFileOfRandomBytes() throws IOException {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    own(Files.write(dir.resolve("r"), junk));
    long magic = ByteBuffer.wrap(junk).order(ByteOrder.nativeOrder()).getLong(0);
    assertEquals(dir.resolve("r") + " is not an ipckit file: magic 0x" + Long.toHexString(magic) + ", expected 0x"
        + Long.toHexString(FileHeader.MAGIC) + " (a foreign file in the namespace directory?)",
        refused("r").getMessage());
  }

  @Test
  void aFileOfZeros() throws IOException {
    own(Files.write(dir.resolve("zeros"), new byte[4096]));
    assertTrue(refused("zeros").getMessage().startsWith(dir.resolve("zeros") + " is not an ipckit file: magic 0x0,"));
  }

  @Test
  void aFileCreatedButNeverInitialised() throws IOException {
    header("u", FileHeader.MAGIC, FileHeader.LAYOUT_VERSION, Kind.LONG, 0, 0, 0, LONG_FILE, 0, LONG_FILE);
    assertEquals(dir.resolve("u") + " was never completely initialised (initialised word 0x0): remove it and"
        + " create it again", refused("u").getMessage());
  }

  @Test
  void aFileOfAnotherLayoutVersion() throws IOException {
    header("v", FileHeader.MAGIC, 99, Kind.LONG, 0, 0, 0, LONG_FILE, FileHeader.READY, LONG_FILE);
    assertEquals(dir.resolve("v") + " has layout version 99; this ipckit reads version " + FileHeader.LAYOUT_VERSION,
        refused("v").getMessage());
  }

  @Test
  void aFileOfAnUnknownKind() throws IOException {
    header("k", FileHeader.MAGIC, FileHeader.LAYOUT_VERSION, null, 999, 0, 0, LONG_FILE, FileHeader.READY,
        LONG_FILE);
    assertEquals(dir.resolve("k") + " holds an object of unknown kind 999", refused("k").getMessage());
  }

  private static final String CUT = "cut-a-value-whose-name-is-too-long-for-a-slab-slot";
  private static final String HALF = "half-a-value-with-a-name-too-long-for-a-slab-slot";

  @Test
  void aTruncatedFile() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.sharedLong(CUT, 5);   // a name too long for a slab slot: a file of its own
      ipc.longArray("cut-array", 100);
    }
    try (FileChannel ch = FileChannel.open(dir.resolve(CUT), StandardOpenOption.WRITE)) {
      ch.truncate(150);
    }
    assertEquals(dir.resolve(CUT) + " is damaged: header says " + LONG_FILE + " bytes, its SharedLong layout needs "
        + LONG_FILE + ", the file has 150 (truncated?)", refused(CUT).getMessage());
    try (FileChannel ch = FileChannel.open(dir.resolve("cut-array"), StandardOpenOption.WRITE)) {
      ch.truncate(FileHeader.LENGTH + 8 * 50);
    }
    try (Ipc ipc = Ipc.open(dir)) {
      IpcException e = assertThrows(IpcException.class, () -> ipc.longArray("cut-array", 100));
      assertEquals(dir.resolve("cut-array") + " is damaged: header says 960 bytes, its SharedLongArray layout"
          + " needs 960, the file has 528 (truncated?)", e.getMessage());
    }
  }

  @Test
  void aFileTruncatedIntoItsHeader() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.sharedLong(HALF, 5);
    }
    try (FileChannel ch = FileChannel.open(dir.resolve(HALF), StandardOpenOption.WRITE)) {
      ch.truncate(64);
    }
    assertTrue(refused(HALF).getMessage().startsWith(dir.resolve(HALF)
        + " is not an ipckit SharedLong: the file is 64 bytes, shorter than the 128-byte header"));
  }

  @Test
  void aHeaderThatLiesAboutTheLength() throws IOException {
    header("lie", FileHeader.MAGIC, FileHeader.LAYOUT_VERSION, Kind.LONG, 0, 0, 0, 1L << 40, FileHeader.READY,
        LONG_FILE);
    assertEquals(dir.resolve("lie") + " is damaged: header says " + (1L << 40) + " bytes, its SharedLong layout"
        + " needs " + LONG_FILE + ", the file has " + LONG_FILE + " (truncated?)", refused("lie").getMessage());
  }

  @Test
  void anArrayHeaderWithAnAbsurdLengthIsNeverTrusted() throws IOException {
    header("huge", FileHeader.MAGIC, FileHeader.LAYOUT_VERSION, Kind.LONG_ARRAY, 0, Integer.MAX_VALUE, 8,
        FileHeader.LENGTH + 64, FileHeader.READY, FileHeader.LENGTH + 64);
    try (Ipc ipc = Ipc.open(dir)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.longArray("huge", 8));
      assertEquals("SharedLongArray \"huge\" in " + dir + " already exists with length 2147483647, not 8",
          e.getMessage());
    }
  }

  @Test
  void aGoodFileNextToBadOnesStillOpens() throws IOException {
    own(Files.write(dir.resolve("junk"), new byte[10]));
    try (Ipc ipc = Ipc.open(dir)) {
      assertEquals(7, ipc.sharedLong("fine", 7).get());
      assertThrows(IpcException.class, () -> ipc.lock("junk"));
      assertEquals(8, ipc.sharedLong("fine", 0).incrementAndGet());
    }
  }

  @Test
  void aForeignRegistryRefusesTheNamespace() throws IOException {
    own(Files.writeString(dir.resolve(".registry"), "not a registry"));
    IpcException e = assertThrows(IpcException.class, () -> Ipc.open(dir));
    assertEquals(dir.resolve(".registry") + " is not an ipckit process registry: the file is 14 bytes, shorter than"
        + " the 128-byte header (truncated or foreign)", e.getMessage());
    Files.delete(dir.resolve(".registry"));
    try (Ipc ipc = Ipc.open(dir)) {
      assertEquals(1, ipc.sharedInt("ok", 1).get(), "opens once the foreign file is gone");
    }
  }
}
