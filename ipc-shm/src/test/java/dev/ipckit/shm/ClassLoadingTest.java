package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pool;
import dev.ipckit.ProcessStartException;
import dev.ipckit.SerializableCallable;
import dev.ipckit.SharedLong;
import dev.ipckit.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks whose classes are not on this JVM's class path: a plugin's {@link URLClassLoader}, a loader that defines
 * classes from bytes in memory (as the source launcher does), a jar nested in a jar; and what a child or a pool
 * worker says when it cannot load a class after all.
 */
@Tag("process")
class ClassLoadingTest {
  private static final Duration JOIN = Duration.ofSeconds(60);

  /** A plugin: a task and a callable that use a helper class of their own. */
  private static final String PLUGIN = """
      package plugin;

      import dev.ipckit.SerializableCallable;
      import dev.ipckit.SharedLong;
      import dev.ipckit.Task;

      public class Plugin implements Task {
        private final SharedLong counter;
        private final int by;

        public Plugin(SharedLong counter, int by) {
          this.counter = counter;
          this.by = by;
        }

        @Override
        public void run() {
          counter.addAndGet(new Helper(by).twice());
        }

        public static SerializableCallable<Integer> square(int x) {
          return () -> new Helper(x).times(x);
        }

        static final class Helper {
          private final int v;

          Helper(int v) {
            this.v = v;
          }

          int twice() {
            return 2 * v;
          }

          int times(int w) {
            return v * w;
          }
        }
      }
      """;

  @TempDir
  Path dir;

  private Ipc ipc;

  @BeforeEach
  void open() {
    ipc = Ipc.open(dir.resolve("ns"));
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  /** Compiles {@link #PLUGIN} into a jar and returns the jar. */
  private Path pluginJar() throws IOException {
    Path src = dir.resolve("src/plugin/Plugin.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, PLUGIN);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, null, err, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.toString());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    Path jar = dir.resolve("plugin.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      try (var files = Files.walk(classes)) {
        for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(p));
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private Task pluginTask(ClassLoader loader, SharedLong counter, int by) throws ReflectiveOperationException {
    return (Task) loader.loadClass("plugin.Plugin").getConstructor(SharedLong.class, int.class)
        .newInstance(counter, by);
  }

  @SuppressWarnings("unchecked")
  private static SerializableCallable<Integer> pluginSquare(ClassLoader loader, int x)
      throws ReflectiveOperationException {
    return (SerializableCallable<Integer>) loader.loadClass("plugin.Plugin").getMethod("square", int.class)
        .invoke(null, x);
  }

  private static void joinOk(IpcProcess p) throws InterruptedException {
    assertTrue(p.join(JOIN), p + " still running");
    assertEquals(0, p.exitCode().orElseThrow(), p.toString());
  }

  @Test
  void aPluginTaskRunsInAChildAndInAPool() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    try (URLClassLoader plugin = new URLClassLoader(new URL[] {pluginJar().toUri().toURL()},
        getClass().getClassLoader())) {
      joinOk(IpcProcess.start(pluginTask(plugin, v, 3)));
      assertEquals(6, v.get(), "the plugin's task ran in the child with its helper class");
      // a pool made before the plugin's loader was known: the classes travel with the task
      try (Pool pool = Pool.builder().processes(1).build()) {
        assertEquals(49, pool.apply(pluginSquare(plugin, 7)));
        assertEquals(64, pool.apply(pluginSquare(plugin, 8)));
      }
      // a pool told about the loader: the workers have the plugin on their class path
      try (Pool pool = Pool.builder().processes(1).classLoader(plugin).build()) {
        assertEquals(81, pool.apply(pluginSquare(plugin, 9)));
      }
    }
  }

  /** Defines the classes of a jar from memory, as the source launcher defines a program's classes. */
  private static final class MemoryLoader extends ClassLoader {
    private final Map<String, byte[]> files = new HashMap<>();
    private final boolean servesBytes;
    private final ProtectionDomain domain;

    MemoryLoader(Path jar, ClassLoader parent, boolean servesBytes, URL codeSource) throws IOException {
      super(parent);
      this.servesBytes = servesBytes;
      this.domain = new ProtectionDomain(new CodeSource(codeSource, (java.security.cert.Certificate[]) null), null);
      try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
        for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
          if (e.getName().endsWith(".class")) {
            files.put(e.getName().substring(0, e.getName().length() - 6).replace('/', '.'), in.readAllBytes());
          }
        }
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = files.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length, domain);
    }

    @Override
    protected URL findResource(String name) {
      if (!servesBytes || !name.endsWith(".class")
          || !files.containsKey(name.substring(0, name.length() - 6).replace('/', '.'))) {
        return null;
      }
      try {
        return new URL("memory", null, -1, "/" + name, new java.net.URLStreamHandler() {
          @Override
          protected java.net.URLConnection openConnection(URL u) {
            return new java.net.URLConnection(u) {
              @Override
              public void connect() {
              }

              @Override
              public InputStream getInputStream() {
                return new java.io.ByteArrayInputStream(files.get(name.substring(0, name.length() - 6)
                    .replace('/', '.')));
              }
            };
          }
        });
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void classesDefinedInMemoryTravelToTheChildAndThePool() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    Path jar = pluginJar();
    URL source = dir.resolve("Plugin.java").toUri().toURL();   // as the source launcher: a source file
    MemoryLoader memory = new MemoryLoader(jar, getClass().getClassLoader(), true, source);
    Files.delete(jar);                                         // nothing on disk any more
    joinOk(IpcProcess.start(pluginTask(memory, v, 5)));
    assertEquals(10, v.get());
    try (Pool pool = Pool.builder().processes(1).build()) {
      assertEquals(36, pool.apply(pluginSquare(memory, 6)));
    }
  }

  @Test
  void aClassFromAJarInAJarFailsInStartNamingIt() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    Path outer = dir.resolve("app.jar");
    Path inner = pluginJar();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(outer))) {
      out.putNextEntry(new JarEntry("BOOT-INF/lib/plugin.jar"));
      out.write(Files.readAllBytes(inner));
      out.closeEntry();
    }
    URL nested = new URL("jar:" + outer.toUri() + "!/BOOT-INF/lib/plugin.jar!/");
    MemoryLoader boot = new MemoryLoader(inner, getClass().getClassLoader(), false, nested);
    Task task = pluginTask(boot, v, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpcProcess.start(task));
    assertTrue(e.getMessage().contains("plugin.Plugin") && e.getMessage().contains("nested")
        && e.getMessage().contains("BOOT-INF/lib"), e.getMessage());
    try (Pool pool = Pool.builder().processes(1).build()) {
      SerializableCallable<Integer> square = pluginSquare(boot, 2);
      IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> pool.apply(square));
      assertTrue(p.getMessage().contains("plugin.Plugin"), p.getMessage());
      assertEquals(4, pool.apply(() -> 2 * 2), "the pool still runs other tasks");
    }
    assertEquals(0, v.get());
  }

  @Test
  void aClassTheChildCannotFindFailsJoinAndExitCodeWithTheReason() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    Path jar = pluginJar();
    try (URLClassLoader plugin = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      Task task = pluginTask(plugin, v, 1);
      Files.delete(jar);                       // loaded here; the child, on the same class path, finds nothing
      IpcProcess p = IpcProcess.start(task);
      ProcessStartException e = assertThrows(ProcessStartException.class, () -> p.join(JOIN));
      assertTrue(e.getMessage().contains("plugin.Plugin") && e.getMessage().contains("class path")
          && e.getMessage().contains("plugin.jar"), e.getMessage());
      assertEquals(p.pid(), e.pid());
      ProcessStartException again = assertThrows(ProcessStartException.class, p::exitCode);
      assertEquals(e.getMessage(), again.getMessage(), "the reason stays");
      assertThrows(ProcessStartException.class, p::join);
    }
    assertEquals(0, v.get());
  }

  @Test
  void aTaskClassAWorkerCannotLoadFailsThatTaskAndKeepsTheWorker() throws Exception {
    Path jar = pluginJar();
    try (URLClassLoader plugin = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      SerializableCallable<Integer> square = pluginSquare(plugin, 3);
      Files.delete(jar);                       // loaded here; on the workers' class path, but gone
      try (Pool pool = Pool.builder().processes(1).classLoader(plugin).build()) {
        long worker = pool.apply(() -> ProcessHandle.current().pid());
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(square));
        String m = e.getCause().getMessage();
        assertTrue(m.contains("plugin.Plugin") && m.contains("class path") && m.contains("plugin.jar"), m);
        assertEquals(worker, (long) pool.apply(() -> ProcessHandle.current().pid()), "the same worker goes on");
      }
    }
  }

  @Test
  void aHandleOfAClosedIpcFailsInStart() throws Exception {
    Ipc other = Ipc.open(dir.resolve("other"));
    SharedLong v = other.sharedLong("v", 0);
    List<Object> box = List.of("not a handle");
    other.close();
    IllegalStateException direct = assertThrows(IllegalStateException.class,
        () -> IpcProcess.start(() -> v.incrementAndGet()));
    assertTrue(direct.getMessage().contains("closed") && direct.getMessage().contains("\"v\""),
        direct.getMessage());
    IllegalStateException captured = assertThrows(IllegalStateException.class,
        () -> IpcProcess.start(() -> System.out.println(box + " " + v.get())));
    assertTrue(captured.getMessage().contains("closed"), captured.getMessage());
    try (Pool pool = Pool.builder().processes(1).build()) {
      IllegalStateException pooled = assertThrows(IllegalStateException.class, () -> pool.apply(v::get));
      assertTrue(pooled.getMessage().contains("closed"), pooled.getMessage());
    }
  }

  @Test
  void aDaemonsChildIsADaemonAndDiesWithIt() throws Exception {
    SharedLong grandchild = ipc.sharedLong("grandchild", 0);
    SharedLong wasDaemon = ipc.sharedLong("wasDaemon", -1);
    dev.ipckit.IpcEvent never = ipc.event("never");
    IpcProcess child = IpcProcess.builder().daemon(true).start(() -> {
      IpcProcess g = IpcProcess.start(() -> never.await());     // asks for a non-daemon: gets a daemon
      wasDaemon.set(g.daemon() ? 1 : 0);
      grandchild.set(g.pid());
      never.await();
    });
    try {
      dev.ipckit.testkit.Await.until("the grandchild started", Duration.ofSeconds(60), () -> grandchild.get() != 0);
      assertEquals(1, wasDaemon.get(), "a daemon's child is a daemon");
      ProcessHandle g = ProcessHandle.of(grandchild.get()).orElseThrow();
      child.kill();
      assertTrue(child.join(JOIN));
      g.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);   // throws TimeoutException if it outlives
      assertTrue(!g.isAlive());
    } finally {
      child.kill();
      ProcessHandle.of(grandchild.get()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
