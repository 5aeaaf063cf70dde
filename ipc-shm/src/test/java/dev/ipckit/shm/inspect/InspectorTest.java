package dev.ipckit.shm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Registry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Inspector} over files made by hand in a directory nobody has open: objects decode, damaged and foreign
 * files are listed with their reason, and reading changes nothing.
 */
@Tag("unit")
class InspectorTest {
  @TempDir
  Path tmp;
  Path dir;

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createDirectory(tmp.resolve("ns"), PosixFilePermissions.asFileAttribute(SafeFiles.DIR_MODE));
  }

  /** A token of registry slot 5 with a generation no registry holds: its process is gone. */
  private static final long DEAD_TOKEN = (0xABCDL << 16) | 6;

  private void lockFile(String name, long owner) {
    MappedFile.openOrCreate(dir, name, MappedFile.spec(Kind.LOCK, 0, 0, FileHeader.CACHE_LINE,
        b -> b.putLong(FileHeader.LENGTH, owner)));
  }

  private void longFile(String name, long value) {
    MappedFile.openOrCreate(dir, name, MappedFile.spec(Kind.LONG, 1, 8, FileHeader.CACHE_LINE,
        b -> b.putLong(FileHeader.LENGTH, value)));
  }

  private Map<String, ObjectInfo> byName(Snapshot s) {
    Map<String, ObjectInfo> m = new HashMap<>();
    s.objects().forEach(o -> m.put(o.name(), o));
    return m;
  }

  @Test
  void objectsDecodeWithTheirState() throws IOException {
    longFile("counter", 42);
    lockFile("free", 0);
    lockFile("orphan", DEAD_TOKEN);
    Snapshot s = Inspector.inspect(dir);
    assertEquals(List.of(), s.processes(), "no registry: nobody ever joined");
    assertNull(s.registryProblem());
    Map<String, ObjectInfo> m = byName(s);
    assertEquals(3, m.size(), "" + s.objects());
    assertEquals("SharedLong", m.get("counter").kind());
    assertEquals(42L, m.get("counter").state().get("value"));
    assertEquals(Boolean.FALSE, m.get("free").state().get("held"));
    assertEquals(List.of(), m.get("free").holders());
    ObjectInfo orphan = m.get("orphan");
    assertEquals(Boolean.TRUE, orphan.state().get("held"));
    assertEquals(1, orphan.holders().size());
    assertEquals(Life.DEAD, orphan.holders().get(0).life(), "its slot holds no such generation");
    assertEquals(-1L, orphan.holders().get(0).pid());
    assertEquals(192L, orphan.size());
    assertTrue(orphan.fields().isEmpty(), "a listing carries no words");
  }

  @Test
  void oneObjectCarriesEveryWordOfItsHeader() throws IOException {
    lockFile("l", DEAD_TOKEN);
    ObjectInfo o = Inspector.object(dir, "l");
    assertNotNull(o);
    Map<String, Long> words = new HashMap<>();
    o.fields().forEach(f -> words.put(f.name(), f.value()));
    assertEquals(FileHeader.MAGIC, words.get("magic"));
    assertEquals((long) Kind.LOCK.code(), words.get("kind"));
    assertEquals(192L, words.get("fileLength"));
    assertEquals(ProcessHandle.current().pid(), words.get("creatorPid"));
    assertEquals(DEAD_TOKEN, words.get("owner"));
    assertNull(Inspector.object(dir, "missing"));
    assertNull(Inspector.object(dir, ".registry"), "internal files are no objects");
  }

  @Test
  void damagedAndForeignFilesAreListedWithTheirReason() throws Exception {
    lockFile("truncated", 0);
    try (FileChannel ch = FileChannel.open(dir.resolve("truncated"), StandardOpenOption.WRITE)) {
      ch.truncate(100);
    }
    lockFile("grown", 0);
    Files.write(dir.resolve("grown"), new byte[8], StandardOpenOption.APPEND);
    lockFile("future", 0);
    writeInt(dir.resolve("future"), FileHeader.VERSION_OFFSET, 99);
    lockFile("halfmade", 0);
    writeInt(dir.resolve("halfmade"), FileHeader.INITIALISED_OFFSET, 0);
    Files.writeString(dir.resolve("notes.txt"), "not ours, and longer than a header ".repeat(8));
    Files.setPosixFilePermissions(dir.resolve("notes.txt"), SafeFiles.FILE_MODE);
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("grown"));
    Files.createDirectory(dir.resolve("subdir"));
    Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", dir.resolve("fifo").toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

    Snapshot s = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Inspector.inspect(dir),
        "a FIFO must never be opened");
    Map<String, ObjectInfo> m = byName(s);
    assertProblem(m, "truncated", "shorter than the 128-byte header");
    assertProblem(m, "grown", "the header says 192 bytes, the file has 200");
    assertProblem(m, "future", "layout version 99");
    assertProblem(m, "halfmade", "never completely initialised");
    assertProblem(m, "notes.txt", "not an ipckit file: magic 0x");
    assertProblem(m, "link", "symbolic link");
    assertProblem(m, "subdir", "is a directory");
    assertProblem(m, "fifo", "neither a regular file nor a directory");
  }

  private static void assertProblem(Map<String, ObjectInfo> m, String name, String reason) {
    ObjectInfo o = m.get(name);
    assertNotNull(o, name + " listed");
    assertNull(o.kind(), name);
    assertNotNull(o.problem(), name + " has a reason");
    assertTrue(o.problem().contains(reason), name + ": " + o.problem());
  }

  private static void writeInt(Path p, int at, int value) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), at);
    }
  }

  @Test
  void aDamagedRegistryMakesEveryHolderUnknownNotDead() throws IOException {
    lockFile("orphan", DEAD_TOKEN);
    Files.write(dir.resolve(Registry.FILE_NAME), new byte[10]);
    Files.setPosixFilePermissions(dir.resolve(Registry.FILE_NAME), SafeFiles.FILE_MODE);
    Snapshot s = Inspector.inspect(dir);
    assertNotNull(s.registryProblem());
    assertTrue(s.anyoneMaybeAlive(), "on a doubt, somebody may be alive");
    assertEquals(Life.UNKNOWN, byName(s).get("orphan").holders().get(0).life());
  }

  @Test
  void probingAnUnlockedLivenessFileLeavesItInPlace() throws IOException {
    Path live = Files.createFile(dir.resolve(".live-3-abc"),
        PosixFilePermissions.asFileAttribute(SafeFiles.FILE_MODE));
    assertEquals(Life.DEAD, Processes.probeFile(live));
    assertTrue(Files.exists(live), "the inspector removes nothing");
    assertEquals(Life.DEAD, Processes.probeFile(dir.resolve(".live-3-def")));
    Files.setPosixFilePermissions(live, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(Life.UNKNOWN, Processes.probeFile(live), "not a file of ours: cannot tell");
  }

  @Test
  void readingChangesNoFile() throws IOException {
    lockFile("orphan", DEAD_TOKEN);
    longFile("v", 7);
    byte[] before = Files.readAllBytes(dir.resolve("orphan"));
    long modified = Files.getLastModifiedTime(dir.resolve("orphan")).toMillis();
    List<Path> entries;
    try (var ls = Files.list(dir)) {
      entries = ls.sorted().toList();
    }
    Inspector.inspect(dir);
    Inspector.object(dir, "orphan");
    try (var ls = Files.list(dir)) {
      assertEquals(entries, ls.sorted().toList(), "no file made or removed");
    }
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("orphan"))));
    assertEquals(modified, Files.getLastModifiedTime(dir.resolve("orphan")).toMillis());
  }

  @Test
  void anUnreadableNamespaceIsAnIoException() {
    assertThrows(NoSuchFileException.class, () -> Inspector.inspect(dir.resolve("missing")));
    assertThrows(IOException.class, () -> Inspector.processes(dir.resolve("missing")));
  }
}
