package dev.ipckit.internal.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a child JVM finds the classes of the tasks it runs: the class path entries of the loaders that define
 * ipckit and the task's classes, flattened into one {@code -cp} in parent-first order.
 *
 * <p>A loader is <em>covered</em> when every class it defines can be found on that path: the system class loader
 * (its entries are {@code java.class.path}) and a {@link URLClassLoader} whose URLs are all files or directories
 * (a plugin loader, {@code mvn exec:java}'s project loader). A class of another loader is covered when its code
 * source is a directory holding its class file or a jar on the local file system; that location joins the path.
 * Classes of the platform and boot loaders need nothing. Every other class (the source launcher's, one defined
 * from bytes in memory, one from a jar nested in a jar) is not covered: its bytes travel to the child (see
 * {@link ShippedClasses}), or the start fails, naming it.
 *
 * <p>Instances are immutable and safe for use by several threads.
 */
public final class ChildClassPath {
  private static volatile List<String> systemEntries;

  private final List<String> entries;
  private final Set<ClassLoader> covered;
  private final Set<String> locations;

  private ChildClassPath(List<String> entries, Set<ClassLoader> covered) {
    this.entries = List.copyOf(entries);
    this.covered = covered;
    this.locations = Set.copyOf(entries);
  }

  /**
   * The path that covers the given loaders (null entries are skipped) and, where their loaders are not covered,
   * the code sources of the given classes.
   */
  public static ChildClassPath of(Collection<ClassLoader> loaders, Collection<Class<?>> classes) {
    LinkedHashSet<String> entries = new LinkedHashSet<>();
    Set<ClassLoader> covered = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ClassLoader root : loaders) {
      if (root != null) {
        addChain(root, entries, covered);
      }
    }
    for (Class<?> c : classes) {
      ClassLoader l = c.getClassLoader();
      if (l == null || jdk(l)) {
        continue;
      }
      addChain(l, entries, covered);
      if (!covered.contains(l)) {
        Path where = location(c);
        if (where != null) {
          entries.add(where.toString());
        }
      }
    }
    return new ChildClassPath(new ArrayList<>(entries), covered);
  }

  /** The entries, in the order a child's {@code -cp} lists them. */
  public List<String> entries() {
    return entries;
  }

  /** The entries joined for {@code -cp}. */
  public String joined() {
    return String.join(File.pathSeparator, entries);
  }

  /** Whether a child on this path loads {@code c} by name from its class path (or the JDK). */
  public boolean covers(Class<?> c) {
    ClassLoader l = c.getClassLoader();
    if (l == null || jdk(l) || covered.contains(l)) {
      return true;
    }
    Path where = location(c);
    return where != null && locations.contains(where.toString());
  }

  @Override
  public String toString() {
    return joined();
  }

  /** Adds the entries of {@code loader} and its parents, parents first; records the covered ones. */
  private static void addChain(ClassLoader loader, LinkedHashSet<String> entries, Set<ClassLoader> covered) {
    List<ClassLoader> chain = new ArrayList<>();
    for (ClassLoader l = loader; l != null && !jdk(l); l = l.getParent()) {
      chain.add(l);
    }
    Collections.reverse(chain);
    ClassLoader system = ClassLoader.getSystemClassLoader();
    for (ClassLoader l : chain) {
      if (l == system) {
        entries.addAll(systemEntries());
        covered.add(l);
      } else if (l instanceof URLClassLoader) {
        boolean all = true;
        for (URL u : ((URLClassLoader) l).getURLs()) {
          Path p = filePath(u);
          if (p == null) {
            all = false;
          } else {
            entries.add(p.toString());
          }
        }
        if (all) {
          covered.add(l);
        }
      }
    }
  }

  /** {@code java.class.path} as absolute entries, computed once. */
  private static List<String> systemEntries() {
    List<String> s = systemEntries;
    if (s == null) {
      List<String> out = new ArrayList<>();
      String cp = System.getProperty("java.class.path", "");
      for (String e : cp.split(File.pathSeparator, -1)) {
        if (!e.isEmpty()) {
          out.add(e);     // as given: relative entries stay relative, the child runs in this working directory
        }
      }
      s = List.copyOf(out);
      systemEntries = s;
    }
    return s;
  }

  /** Whether {@code l} is the platform loader (the boot loader is null). */
  private static boolean jdk(ClassLoader l) {
    return l == ClassLoader.getPlatformClassLoader();
  }

  /**
   * The directory or jar that holds {@code c}'s class file according to its code source, or null when that is
   * not a place on the local file system a class path can name (a source file, a jar inside a jar, memory).
   */
  static Path location(Class<?> c) {
    CodeSource cs;
    try {
      cs = c.getProtectionDomain().getCodeSource();
    } catch (SecurityException e) {
      return null;
    }
    Path p = cs == null || cs.getLocation() == null ? null : filePath(cs.getLocation());
    if (p == null) {
      return null;
    }
    if (Files.isDirectory(p)) {
      String file = c.getName().replace('.', '/') + ".class";
      return Files.isRegularFile(p.resolve(file)) ? p : null;
    }
    String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".jar") || n.endsWith(".zip")) && Files.isRegularFile(p) ? p : null;
  }

  /** The file a {@code file:} URL names, or null for another kind of URL. */
  static Path filePath(URL u) {
    if (!"file".equals(u.getProtocol())) {
      return null;
    }
    try {
      return Path.of(u.toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
