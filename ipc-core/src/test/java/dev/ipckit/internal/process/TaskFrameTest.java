package dev.ipckit.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The frame a parent writes to a child: every field round-trips; a foreign or cut frame says what it found. */
@Tag("unit")
class TaskFrameTest {
  private static byte[] bytes(TaskFrame f) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.writeTo(out);
    return out.toByteArray();
  }

  private static TaskFrame read(byte[] b) throws IOException {
    return TaskFrame.readFrom(new ByteArrayInputStream(b));
  }

  @Test
  void everyFieldRoundTrips() throws IOException {
    for (boolean daemon : new boolean[] {false, true}) {
      for (boolean direct : new boolean[] {false, true}) {
        for (String backend : new String[] {"", "dev.ipckit.shm.ShmBackend"}) {
          TaskFrame f = new TaskFrame(daemon, direct, "wörker-1", backend, "/tmp/reports", new byte[] {1, 2, 3});
          TaskFrame g = read(bytes(f));
          assertEquals(daemon, g.daemon());
          assertEquals(direct, g.direct());
          assertEquals("wörker-1", g.name());
          assertEquals(backend, g.backend());
          assertEquals("/tmp/reports", g.reports());
          assertArrayEquals(new byte[] {1, 2, 3}, g.task());
          assertTrue(g.classes().isEmpty());
        }
      }
    }
  }

  @Test
  void classFilesRoundTrip() throws IOException {
    TaskFrame f = new TaskFrame(false, false, "c", 42, "", "", new byte[] {1},
        java.util.Map.of("a.B", new byte[] {(byte) 0xCA, (byte) 0xFE}, "C$1", new byte[] {7}));
    TaskFrame g = read(bytes(f));
    assertEquals(42, g.parent());
    assertEquals(java.util.Set.of("a.B", "C$1"), g.classes().keySet());
    assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, g.classes().get("a.B"));
    assertArrayEquals(new byte[] {7}, g.classes().get("C$1"));
  }

  @Test
  void aNegativeOrHugeClassCountIsNamed() throws IOException {
    byte[] whole = bytes(new TaskFrame(false, false, "x", "", "", new byte[] {1}));
    for (int count : new int[] {-1, TaskFrame.MAX_CLASSES + 1}) {
      byte[] bad = whole.clone();
      java.nio.ByteBuffer.wrap(bad).putInt(bad.length - 4, count);
      IOException e = assertThrows(IOException.class, () -> read(bad));
      assertTrue(e.getMessage().contains("class file count"), e.getMessage());
    }
  }

  @Test
  void anEmptyStreamIsNoFrame() throws IOException {
    assertNull(read(new byte[0]), "the parent went away before sending a frame");
  }

  @Test
  void aCutFrameIsAnEofAtEveryLength() throws IOException {
    byte[] whole = bytes(new TaskFrame(true, true, "cut", "some.Backend", "", new byte[] {9, 9, 9, 9}));
    for (int n = 1; n < whole.length; n++) {
      byte[] part = Arrays.copyOf(whole, n);
      EOFException e = assertThrows(EOFException.class, () -> read(part), "cut at " + n);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void aForeignOrNewerFrameIsNamed() throws IOException {
    byte[] whole = bytes(new TaskFrame(false, false, "x", "", "", new byte[] {1}));
    byte[] foreign = whole.clone();
    foreign[0] = (byte) 0xAC;
    IOException e = assertThrows(IOException.class, () -> read(foreign));
    assertTrue(e.getMessage().contains("not a task frame"), e.getMessage());
    byte[] newer = whole.clone();
    newer[7] = 99;                                // version
    e = assertThrows(IOException.class, () -> read(newer));
    assertTrue(e.getMessage().startsWith("task frame version 99, this ipckit reads " + TaskFrame.VERSION),
        e.getMessage());
    byte[] older = whole.clone();
    older[7] = (byte) (TaskFrame.VERSION - 1);    // the frame before handles carried locations
    e = assertThrows(IOException.class, () -> read(older));
    assertTrue(e.getMessage().startsWith("task frame version " + (TaskFrame.VERSION - 1) + ", this ipckit reads "
        + TaskFrame.VERSION), e.getMessage());
  }
}
