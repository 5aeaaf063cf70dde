package dev.ipckit.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Children;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM handed a frame of another version says so and exits with its decode exit code. */
@Tag("process")
class FrameVersionProcessTest {
  @RegisterExtension
  final Children children = new Children();

  @TempDir
  Path dir;

  @Test
  void aChildRefusesAnOldFrameNamingBothVersions() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new TaskFrame(false, true, "old", "", "", new byte[] {1, 2, 3}).writeTo(bytes);
    byte[] frame = bytes.toByteArray();
    int old = TaskFrame.VERSION - 1;
    frame[7] = (byte) old;                        // the version word's low byte
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p = children.launch(ChildMain.class, out, err, List.of());
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(frame);
    }
    assertEquals(ChildMain.EXIT_BAD_TASK, Children.exitOf(p, Children.START));
    String stderr = Files.readString(err);
    assertTrue(stderr.contains("task frame version " + old + ", this ipckit reads " + TaskFrame.VERSION), stderr);
  }
}
