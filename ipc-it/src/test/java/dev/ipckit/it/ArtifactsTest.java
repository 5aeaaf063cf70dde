package dev.ipckit.it;

import dev.ipckit.Ipc;
import dev.ipckit.shm.ShmBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars the library modules package, as the reactor hands them to this module under {@code mvn verify}: the
 * main jar carries its {@code Automatic-Module-Name}, and the {@code -sources} and {@code -javadoc} jars beside it
 * hold the sources and the API pages of its classes. The jars exist only once the library modules are packaged,
 * so this class runs in this module's {@code integration-test} phase (its own surefire execution, see the pom),
 * never in {@code test}: under {@code mvn verify} a missing jar fails it.
 */
@Tag("unit")
class ArtifactsTest {
  /** ipc-core: {@code dev.ipckit.core}, with the sources and the pages of {@code dev.ipckit.Ipc}. */
  @Test
  void coreJars() throws Exception {
    checkJars(Ipc.class, Launch.CORE_MODULE);
  }

  /** ipc-shm: {@code dev.ipckit.shm}, with the sources and the pages of {@code dev.ipckit.shm.ShmBackend}. */
  @Test
  void shmJars() throws Exception {
    checkJars(ShmBackend.class, Launch.SHM_MODULE);
  }

  private static void checkJars(Class<?> c, String moduleName) throws IOException, URISyntaxException {
    Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isRegularFile(jar), () -> c.getName() + " comes from " + jar + ", not a packaged jar");
    String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    String classPath = c.getName().replace('.', '/');
    String packagePath = c.getPackageName().replace('.', '/');
    try (JarFile main = new JarFile(jar.toFile())) {
      assertNotNull(main.getManifest(), jar + " has no manifest");
      assertEquals(moduleName, main.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
          "Automatic-Module-Name of " + jar);
    }
    Path sources = jar.resolveSibling(base + "-sources.jar");
    assertTrue(Files.isRegularFile(sources), sources + " is missing");
    try (JarFile jf = new JarFile(sources.toFile())) {
      ZipEntry source = jf.getEntry(classPath + ".java");
      assertNotNull(source, sources + " has no " + classPath + ".java");
      try (InputStream in = jf.getInputStream(source)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("package " + c.getPackageName() + ";"), sources + ": " + classPath + ".java");
      }
      assertNotNull(jf.getEntry(packagePath + "/package-info.java"), sources + " has no package-info.java");
    }
    Path javadoc = jar.resolveSibling(base + "-javadoc.jar");
    assertTrue(Files.isRegularFile(javadoc), javadoc + " is missing");
    try (JarFile jf = new JarFile(javadoc.toFile())) {
      assertNotNull(jf.getEntry("index.html"), javadoc + " has no index.html");
      boolean page = jf.stream().anyMatch(e -> e.getName().endsWith(classPath + ".html"));
      assertTrue(page, javadoc + " has no page for " + c.getName());
      ZipEntry list = jf.getEntry("element-list");
      assertNotNull(list, javadoc + " has no element-list");
      try (InputStream in = jf.getInputStream(list)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.lines().anyMatch(c.getPackageName()::equals), javadoc + " element-list: " + text);
      }
    }
  }
}
