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

/** A program in a named module, run from the module path with ipckit's jars as automatic modules. */
@Tag("process")
class ModulePathTest {
  @TempDir
  Path dir;

  /** {@code java -p ipc-core.jar:ipc-shm.jar:app -m app/app.Main} starts a child process and a pool. */
  @Test
  void moduleProgram() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/app/app"));
    Path moduleInfo = Files.writeString(src.getParent().resolve("module-info.java"),
        "module app {\n  requires " + Launch.CORE_MODULE + ";\n}\n");
    Path main = Files.writeString(src.resolve("Main.java"), Launch.program("app", "Main"));
    String ipckit = Launch.coreJar(dir) + File.pathSeparator + Launch.shmJar(dir);
    Path classes = dir.resolve("classes/app");
    Launch.compile(List.of("--module-path", ipckit, "-d", classes.toString()), List.of(moduleInfo, main));
    List<String> cmd = List.of(Launch.java(), "-p", ipckit + File.pathSeparator + classes, "-m", "app/app.Main");
    Launch.run(cmd, dir, Map.of(), dir.resolve("app.log"), Children.RUN).assertOk();
  }
}
