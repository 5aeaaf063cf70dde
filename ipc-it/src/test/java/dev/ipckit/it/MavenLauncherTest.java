package dev.ipckit.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample Maven project in {@code src/test/sample}, built once with {@code mvn package exec:java} against this
 * build's ipckit jars, then its shaded jar run with {@code java -jar}.
 *
 * <p>The build resolves ipckit from a local repository of its own: every entry of the user's local repository
 * linked in, except {@code dev/ipckit}, which holds this build's poms and jars. Nothing is installed into the
 * user's repository (plugins missing there are downloaded into it as by any build).
 */
@Tag("process")
class MavenLauncherTest {
  /** How long one Maven build of the sample may take, downloads of missing plugins included. */
  private static final Duration BUILD = Duration.ofSeconds(240);
  private static final String SHADED_JAR = "target/ipckit-sample-1.0-shaded.jar";

  @TempDir
  static Path dir;

  private static final List<Path> links = new ArrayList<>();
  private static Path project;
  private static Launch.Run build;

  @BeforeAll
  static void buildAndExec() throws Exception {
    String version = Launch.requiredSetting("ipckit.it.version");
    project = dir.resolve("sample");
    copyTree(Path.of(Launch.requiredSetting("ipckit.it.sample")), project);
    Path repository = localRepository(dir.resolve("repository"), version);
    List<String> cmd = List.of(mvn(), "-B", "-q", "-Dmaven.repo.local=" + repository,
        "-Dipckit.version=" + version, "package", "exec:java");
    build = Launch.run(cmd, project, Map.of("JAVA_HOME", System.getProperty("java.home")), dir.resolve("mvn.log"),
        BUILD);
  }

  /** Removes the links to the user's repository before the temporary directory goes, so that nothing follows them. */
  @AfterAll
  static void unlink() throws IOException {
    for (Path link : links) {
      Files.deleteIfExists(link);
    }
  }

  /** {@code mvn package exec:java} runs the program in Maven's JVM, whose class path is Maven's launcher alone. */
  @Test
  void execJava() {
    build.assertOk();
  }

  /** {@code java -jar} on the jar the shade plugin built runs the program with ipckit inside that one jar. */
  @Test
  void shadedJar() throws Exception {
    Path jar = project.resolve(SHADED_JAR);
    assertTrue(Files.isRegularFile(jar), () -> "no " + jar + " after the build: " + build.describe());
    Launch.run(List.of(Launch.java(), "-jar", jar.toString()), project, Map.of(), dir.resolve("jar.log"),
        Children.RUN).assertOk();
  }

  /** The Maven running this build ({@code maven.home}), else {@code mvn} on the path. */
  private static String mvn() {
    String home = Launch.setting("ipckit.it.mavenHome");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
      return Path.of(home, "bin", "mvn").toString();
    }
    return "mvn";
  }

  /**
   * Makes {@code repository}: a link to each entry of the user's local repository but {@code dev}, a directory
   * {@code dev} with a link to each of its entries but {@code ipckit}, and {@code dev/ipckit} seeded in the
   * repository layout with the parent pom and the poms and jars of ipc-core and ipc-shm.
   */
  private static Path localRepository(Path repository, String version) throws IOException {
    Path user = Path.of(Launch.requiredSetting("ipckit.it.localRepository"));
    Path root = Path.of(Launch.requiredSetting("ipckit.it.root"));
    Path dev = linkAllBut(user, repository, "dev");
    Path ipckit = linkAllBut(user.resolve("dev"), dev, "ipckit");
    seed(ipckit, "ipckit-parent", version, root.resolve("pom.xml"), null);
    seed(ipckit, "ipc-core", version, root.resolve("ipc-core/pom.xml"), Launch.coreJar(dir));
    seed(ipckit, "ipc-shm", version, root.resolve("ipc-shm/pom.xml"), Launch.shmJar(dir));
    return repository;
  }

  /** Links each entry of {@code from} into {@code to} except {@code except}, a new directory there it returns. */
  private static Path linkAllBut(Path from, Path to, String except) throws IOException {
    Files.createDirectories(to);
    if (Files.isDirectory(from)) {
      List<Path> entries;
      try (Stream<Path> s = Files.list(from)) {
        entries = s.filter(p -> !p.getFileName().toString().equals(except)).collect(Collectors.toList());
      }
      for (Path entry : entries) {
        links.add(Files.createSymbolicLink(to.resolve(entry.getFileName().toString()), entry));
      }
    }
    return Files.createDirectories(to.resolve(except));
  }

  /** Puts {@code pom} and {@code jar} (null for a pom-only artifact) where Maven looks for the artifact. */
  private static void seed(Path group, String artifact, String version, Path pom, Path jar) throws IOException {
    Path d = Files.createDirectories(group.resolve(artifact).resolve(version));
    Files.copy(pom, d.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, d.resolve(artifact + "-" + version + ".jar"));
    }
  }

  /** Copies the sample project, without a {@code target} left from building it by hand. */
  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.filter(p -> !p.startsWith(from.resolve("target"))).sorted().collect(Collectors.toList());
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
  }
}
