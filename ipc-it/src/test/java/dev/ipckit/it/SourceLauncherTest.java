package dev.ipckit.it;

import dev.ipckit.testkit.Children;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-file program run by the source launcher, whose classes exist only in its JVM's memory. */
@Tag("process")
class SourceLauncherTest {
  @TempDir
  Path dir;

  /** {@code java -cp ipc-core.jar:ipc-shm.jar Hello.java} starts a child process and a pool. */
  @Test
  void sourceFileProgram() throws Exception {
    Path hello = Files.writeString(dir.resolve("Hello.java"), Launch.program(null, "Hello"));
    String classPath = Launch.coreJar(dir) + File.pathSeparator + Launch.shmJar(dir);
    List<String> cmd = List.of(Launch.java(), "-cp", classPath, hello.toString());
    Launch.run(cmd, dir, Map.of(), dir.resolve("hello.log"), Children.RUN).assertOk();
  }
}
