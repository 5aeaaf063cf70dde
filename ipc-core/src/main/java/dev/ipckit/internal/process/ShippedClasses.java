package dev.ipckit.internal.process;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class files handed to a child JVM because it could not find them on its class path: the classes of a task
 * that a loader defined from memory (the source launcher {@code java Foo.java}, a loader that reads a jar nested in
 * a jar, a class generator), with every class of the same loader they refer to.
 *
 * <p>In the parent, {@link #collect} reads the class files through their loader's {@code getResourceAsStream}
 * and follows the class names in each file's constant pool, staying inside that loader (what its parents define,
 * the child finds on its class path). A class whose bytes its loader does not serve makes the start fail with an
 * {@link IllegalArgumentException} that names it and why: a child cannot load it.
 *
 * <p>In the child, {@link #loader()} defines the classes handed over, on demand; it delegates to the system class
 * loader first, so a class on the class path is never shadowed. A task's classes are resolved through it.
 */
public final class ShippedClasses {
  /** Most classes handed to one child. */
  static final int MAX_CLASSES = 4096;
  /** Most bytes of class files handed to one child. */
  static final long MAX_BYTES = 64L << 20;

  private static final ClassValue<Map<String, byte[]>> CLOSURES = new ClassValue<>() {
    @Override
    protected Map<String, byte[]> computeValue(Class<?> type) {
      return closure(type);
    }
  };

  private ShippedClasses() {
  }

  /**
   * The class files of {@code classes} and of the classes of their loaders they refer to, by binary name.
   *
   * @throws IllegalArgumentException naming a class whose loader does not serve its bytes, or when there are more
   *                                  than a child accepts
   */
  public static Map<String, byte[]> collect(Collection<Class<?>> classes) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    long bytes = 0;
    for (Class<?> c : classes) {
      for (Map.Entry<String, byte[]> e : CLOSURES.get(c).entrySet()) {
        if (out.putIfAbsent(e.getKey(), e.getValue()) == null) {
          bytes += e.getValue().length;
        }
      }
    }
    checkLimits(out.size(), bytes, classes.iterator().next());
    return out;
  }

  private static void checkLimits(int count, long bytes, Class<?> root) {
    if (count > MAX_CLASSES || bytes > MAX_BYTES) {
      throw new IllegalArgumentException("the task's classes (from " + root.getName() + ", loader "
          + root.getClassLoader() + ") are not on a class path a child JVM can use, and the " + count
          + " classes (" + bytes + " bytes) they refer to are more than can be handed to it (at most "
          + MAX_CLASSES + " classes, " + MAX_BYTES + " bytes): put them in a jar or directory on the class path");
    }
  }

  private static Map<String, byte[]> closure(Class<?> root) {
    ClassLoader loader = root.getClassLoader();
    Map<String, byte[]> out = new LinkedHashMap<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(root.getName());
    java.util.Set<String> seen = new java.util.HashSet<>();
    long total = 0;
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (!seen.add(name)) {
        continue;
      }
      byte[] file = ownClassFile(loader, name);
      if (file == null) {
        if (name.equals(root.getName())) {
          throw unavailable(root);
        }
        continue;                             // its parents define it, or nobody: the child says which
      }
      out.put(name, file);
      total += file.length;
      checkLimits(out.size(), total, root);
      try {
        ClassFiles.referencedClasses(file, todo);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the class file of " + name + " served by " + loader
            + ": " + e.getMessage(), e);
      }
    }
    return Map.copyOf(out);
  }

  /** The class file {@code loader} itself defines {@code name} from, or null if a parent (or nobody) does. */
  private static byte[] ownClassFile(ClassLoader loader, String name) {
    String path = name.replace('.', '/') + ".class";
    URL own = loader.getResource(path);
    if (own == null) {
      return null;
    }
    ClassLoader parent = loader.getParent();
    URL above = parent != null ? parent.getResource(path) : ClassLoader.getPlatformClassLoader().getResource(path);
    if (own.equals(above)) {
      return null;
    }
    try (InputStream in = loader.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private static IllegalArgumentException unavailable(Class<?> c) {
    java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
    String where = cs == null || cs.getLocation() == null ? "no code source" : "code source " + cs.getLocation();
    String why = where.contains("!/") ? "a jar nested in a jar (as Spring Boot's BOOT-INF/lib), which a class path"
        + " cannot name" : "not a directory or jar a class path can name";
    return new IllegalArgumentException("a child JVM cannot load class " + c.getName() + ": its loader ("
        + c.getClassLoader() + ") has " + where + ", " + why + ", and does not serve the class file either"
        + " (classes that exist only in memory: JShell, generated classes). Put the class in a jar or directory on"
        + " the class path, or unpack the application (Spring Boot: java -Djarmode=tools -jar app.jar extract)");
  }

  /** The loader of the classes handed to this JVM (the child side). */
  public static Loader loader() {
    return Loader.INSTANCE;
  }

  /** Makes {@code files} definable in this JVM by {@link #loader()}; a name already known keeps its first bytes. */
  public static void accept(Map<String, byte[]> files) {
    Loader.INSTANCE.files.putAll(files);
  }

  /** Defines handed-over classes on demand, after the system class loader has had its look. */
  public static final class Loader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    static final Loader INSTANCE = new Loader();

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    private Loader() {
      super("ipckit-shipped", ClassLoader.getSystemClassLoader());
    }

    /** How many classes were handed over. */
    public int size() {
      return files.size();
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = files.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      InputStream in = super.getResourceAsStream(name);
      if (in == null && name.endsWith(".class")) {
        byte[] b = files.get(name.substring(0, name.length() - 6).replace('/', '.'));
        return b == null ? null : new ByteArrayInputStream(b);
      }
      return in;
    }
  }

  /** Just enough of the class file format to list the classes a class refers to. */
  static final class ClassFiles {
    private ClassFiles() {
    }

    /** Adds to {@code out} the binary names of the classes named in the constant pool of {@code file}. */
    static void referencedClasses(byte[] file, Collection<String> out) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("not a class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNames = new int[count];
      int classes = 0;
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classNames[classes++] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
        }
      }
      for (int k = 0; k < classes; k++) {
        String n = utf8[classNames[k]];
        if (n != null) {
          if (n.startsWith("[")) {
            descriptorClasses(n, out);
          } else {
            out.add(n.replace('/', '.'));
          }
        }
      }
      for (String s : utf8) {
        if (s != null && s.indexOf(';') > 0) {
          descriptorClasses(s, out);          // field and method descriptors, generic signatures
        }
      }
    }

    /** The {@code Lname;} class names in a descriptor or signature. */
    private static void descriptorClasses(String s, Collection<String> out) {
      int i = 0;
      while ((i = s.indexOf('L', i)) >= 0) {
        int end = i + 1;
        while (end < s.length() && ";<>:()[".indexOf(s.charAt(end)) < 0) {
          end++;
        }
        if (end < s.length() && (s.charAt(end) == ';' || s.charAt(end) == '<') && end > i + 1) {
          out.add(s.substring(i + 1, end).replace('/', '.'));
        }
        i = end;
      }
    }
  }
}
