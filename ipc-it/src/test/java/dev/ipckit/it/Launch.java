package dev.ipckit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Ipc;
import dev.ipckit.shm.ShmBackend;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.TextFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the launcher tests share: the ipckit jars as a user's build would see them, the sample program, the JDK's
 * compiler, and running a program with a bounded wait and its standard output and error captured in a file.
 */
final class Launch {
  /** The line a sample program prints once its child process and its pool have done their work. */
  static final String OK_LINE = "OK v=40 map=[1, 4, 9] cube=27";
  /** The automatic module name of ipc-core. */
  static final String CORE_MODULE = "dev.ipckit.core";
  /** The automatic module name of ipc-shm. */
  static final String SHM_MODULE = "dev.ipckit.shm";

  private static final Pattern ANSI_ESCAPE = Pattern.compile("\\x1B\\[[0-9;]*[A-Za-z]");

  private Launch() {
  }

  /** The {@code java} launcher of the JDK that runs the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The ipc-core jar, named {@link #CORE_MODULE} as a module; see {@link #jarOf}. */
  static Path coreJar(Path work) throws IOException {
    return jarOf(Ipc.class, CORE_MODULE, work);
  }

  /** The ipc-shm jar, named {@link #SHM_MODULE} as a module; see {@link #jarOf}. */
  static Path shmJar(Path work) throws IOException {
    return jarOf(ShmBackend.class, SHM_MODULE, work);
  }

  /**
   * The jar that holds {@code c}, with {@code moduleName} as its {@code Automatic-Module-Name}. In the reactor
   * under {@code mvn verify} the class comes from the packaged jar, which is returned as it is when it carries that
   * name. Otherwise (a {@code target/classes} directory under {@code mvn test}, or a jar without the name) a jar
   * with the name and every entry, services files included, is written to {@code work} and returned.
   */
  static Path jarOf(Class<?> c, String moduleName, Path work) throws IOException {
    Path where;
    try {
      where = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the classes of " + c.getName(), e);
    }
    Manifest manifest = new Manifest();
    if (Files.isRegularFile(where)) {
      try (JarFile jar = new JarFile(where.toFile())) {
        Manifest m = jar.getManifest();
        if (m != null) {
          if (moduleName.equals(m.getMainAttributes().getValue("Automatic-Module-Name"))) {
            return where;
          }
          manifest = m;
        }
      }
    }
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Automatic-Module-Name", moduleName);
    Path out = work.resolve(moduleName + ".jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), manifest)) {
      if (Files.isDirectory(where)) {
        copyDirectory(where, jar);
      } else {
        copyJar(where, jar);
      }
    }
    return out;
  }

  private static void copyDirectory(Path dir, JarOutputStream jar) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(p -> !p.equals(dir)).sorted().collect(Collectors.toList());
    }
    for (Path p : all) {
      String name = dir.relativize(p).toString().replace('\\', '/');
      if (Files.isDirectory(p)) {
        jar.putNextEntry(new JarEntry(name + "/"));
        jar.closeEntry();
      } else if (!name.equals(JarFile.MANIFEST_NAME)) {
        jar.putNextEntry(new JarEntry(name));
        Files.copy(p, jar);
        jar.closeEntry();
      }
    }
  }

  private static void copyJar(Path from, JarOutputStream jar) throws IOException {
    try (JarFile in = new JarFile(from.toFile())) {
      for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
          continue;
        }
        jar.putNextEntry(new JarEntry(entry.getName()));
        in.getInputStream(entry).transferTo(jar);
        jar.closeEntry();
      }
    }
  }

  /**
   * The source of the sample program in {@code src/test/sample} under another name: a child process adds 40 to a
   * shared value, then a pool of two workers maps a lambda and runs a task class of the program, nested in it; it
   * prints {@link #OK_LINE} and returns, or throws. {@code packageName} may be null (no package).
   */
  static String program(String packageName, String className) throws IOException {
    Path main = Path.of(requiredSetting("ipckit.it.sample"), "src", "main", "java", "sample", "Main.java");
    String source = Files.readString(main, StandardCharsets.UTF_8);
    source = source.replaceFirst("package sample;\\s*", packageName == null ? "" : "package " + packageName
        + ";\n\n");
    return source.replace("public class Main ", "public class " + className + " ");
  }

  /** Compiles {@code sources} with the JDK's compiler and {@code options}; fails with its diagnostics. */
  static void compile(List<String> options, List<Path> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertTrue(javac != null, "no system Java compiler: the tests need a JDK, not a JRE");
    List<String> args = new ArrayList<>(options);
    sources.forEach(s -> args.add(s.toString()));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int code = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
    assertEquals(0, code, "javac " + String.join(" ", args) + " failed:\n"
        + diagnostics.toString(StandardCharsets.UTF_8));
  }

  /** A system property that ipc-it/pom.xml has surefire set, or null when it is not set. */
  static String setting(String name) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() || v.contains("${") ? null : v;
  }

  /** As {@link #setting}, failing when the property is not set. */
  static String requiredSetting(String name) {
    String v = setting(name);
    if (v == null) {
      fail("system property " + name + " is not set (surefire sets it from ipc-it/pom.xml): "
          + System.getProperty(name));
    }
    return v;
  }

  /** {@code text} without terminal escape sequences, which Maven 3.8 writes even in batch mode. */
  private static String withoutEscapes(String text) {
    return ANSI_ESCAPE.matcher(text).replaceAll("");
  }

  /** How a launched program ended: its command line, exit code and standard output and error together. */
  record Run(List<String> command, int exitCode, String output) {
    /** Asserts that the program exited with 0 and printed {@link #OK_LINE}, showing its output if not. */
    void assertOk() {
      assertEquals(0, exitCode, this::describe);
      assertTrue(output.lines().anyMatch(OK_LINE::equals), () -> "no line \"" + OK_LINE + "\": " + describe());
    }

    /** The command, its exit code and its output, for a failure message. */
    String describe() {
      return String.join(" ", command) + " exited with " + exitCode + "; its output:\n" + output;
    }
  }

  /**
   * Runs {@code command} in {@code dir} with {@code env} added to this environment, its standard output and error
   * going to {@code log}, and waits at most {@code timeout}; on timeout kills it with its descendants and fails with
   * its output so far.
   */
  static Run run(List<String> command, Path dir, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(Children.REAP.toMillis(), TimeUnit.MILLISECONDS);
      fail(String.join(" ", command) + " still running after " + timeout.toMillis() + " ms, killed; its output:\n"
          + withoutEscapes(TextFiles.read(log)));
    }
    return new Run(List.copyOf(command), p.exitValue(), withoutEscapes(TextFiles.read(log)));
  }
}
