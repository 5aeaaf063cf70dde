package dev.ipckit.shm;

import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.Pipe;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A namespace on a file system that fills up (a small tmpfs mounted for the test, as a full {@code /dev/shm} or a
 * small container volume would be): creating past the last byte is an {@link IpcException} naming the file and the
 * cause, never a crashed JVM (a sparse mapped file would fault when first written) and never a half-made file that
 * blocks the name once space is back; what exists keeps working, and a process still joins. Mounting needs root:
 * skipped otherwise.
 */
@Tag("process")
class FullFileSystemTest {
  @RegisterExtension
  final Children children = new Children();

  /**
   * A file system of its own for each test: a closed namespace's files stay mapped, and their space taken, until
   * their buffers are collected, so a test never inherits another's space.
   */
  private Path mountPoint;
  private boolean mounted;
  private Path filler;
  /** The namespace on it, opened before each test and closed after it. */
  private Path dir;
  private Ipc ipc;

  @BeforeEach
  void mountASmallFileSystem() throws Exception {
    mountPoint = Files.createTempDirectory("ipckit-small-fs");
    Mounts.mount("mounting a tmpfs", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mountPoint.toString());
    mounted = true;
    dir = mountPoint.resolve("ns");
    ipc = Ipc.open(dir);
  }

  @AfterEach
  void unmount() throws Exception {
    if (ipc != null) {
      ipc.close();
    }
    if (mounted) {
      Mounts.unmount(mountPoint);
    }
    if (mountPoint != null) {
      Files.deleteIfExists(mountPoint);
    }
  }

  /** Takes every byte left on the file system with a file of zeros (deleted by {@link #makeRoom()}). */
  private void fill() throws IOException {
    filler = mountPoint.resolve("filler");
    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
    try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (;;) {
        zeros.clear();
        try {
          ch.write(zeros);
        } catch (IOException full) {
          break;
        }
      }
    }
    assertEquals(0L, Files.getFileStore(mountPoint).getUsableSpace(), "the file system is full");
  }

  private void makeRoom() throws IOException {
    Files.delete(filler);
  }

  /** Asserts {@code e} says what it could not make, where, and that the device is full. */
  private static void assertNamesTheFileAndTheCause(IpcException e, Path file) {
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
  }

  @Test
  void creatingOnAFullFileSystemIsAClearErrorAndLeavesNothingThatBlocksTheName() throws Exception {
    SharedLong counter = ipc.sharedLong("counter", 0);
    fill();
    IpcException e = assertThrows(IpcException.class, () -> ipc.queue("q", 1000, Codec.string()));
    assertNamesTheFileAndTheCause(e, dir.resolve("q"));
    assertFalse(Files.exists(dir.resolve("q")), "no half-made queue file");
    e = assertThrows(IpcException.class, () -> ipc.longArray("a", 1 << 16));
    assertNamesTheFileAndTheCause(e, dir.resolve("a"));
    assertFalse(Files.exists(dir.resolve("a")), "no half-made array file");
    assertThrows(IpcException.class, () -> ipc.pipe("p", true, Codec.string()));
    assertFalse(Files.exists(dir.resolve("p")), "no half-made pipe file");

    assertEquals(1L, counter.incrementAndGet(), "what exists keeps working");
    assertTrue(ipc.names().contains("counter"));
    assertFalse(ipc.names().contains("q"));

    makeRoom();
    IpcQueue<String> q = ipc.queue("q", 1000, Codec.string());
    q.put("after");
    assertEquals("after", q.take());
    assertEquals(1 << 16, ipc.longArray("a", 1 << 16).length());
  }

  @Test
  void filledBySmallObjectsTheSlabSaysSoAndItsObjectsStayIntact() {
    int made = 0;
    IpcException e = null;
    while (e == null && made < 1_000_000) {
      try {
        ipc.sharedLong("v" + made, made);
        made++;
      } catch (IpcException full) {
        e = full;
      }
    }
    assertTrue(e != null, "8 MiB hold fewer than a million values: made " + made);
    assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("No space left on device"),
        e.getMessage());
    for (int i = 0; i < made; i += Math.max(1, made / 64)) {
      assertEquals(i, ipc.sharedLong("v" + i, -1).get(), "value v" + i + " after the failed creation");
    }
  }

  @Test
  void aSpilledMessageIsRefusedWhenItsSideFileCannotBeWrittenAndTheQueueAndPipeGoOn() throws Exception {
    IpcQueue<byte[]> q = ipc.queue("q", 4, Codec.bytes());
    Pipe<byte[]> p = ipc.pipe("p", true, Codec.bytes());
    fill();
    byte[] large = new byte[100_000];
    IpcException e = assertThrows(IpcException.class, () -> q.put(large));
    assertTrue(e.getMessage().contains("100000 bytes") && e.getMessage().contains("\"q\""), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertThrows(IpcException.class, () -> q.offer(large));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0L, files.filter(f -> f.getFileName().toString().contains("@spill")).count(),
          "no side file left behind");
    }
    assertEquals(0, q.size(), "nothing half put");
    q.put(new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, q.take());
    // a pipe streams a message of any size through its ring: no file to write
    byte[] message = new byte[200_000];
    message[199_999] = 7;
    p.left().send(message);
    assertArrayEquals(message, p.right().recv());
  }

  @Test
  void aProcessJoinsANamespaceOnAFullFileSystem() throws Exception {
    SharedLong counter = ipc.sharedLong("counter", 0);
    fill();
    IpcProcess child = children.start(() -> counter.incrementAndGet());
    assertExitsOk(child, START);
    assertEquals(1L, counter.get());
  }
}
