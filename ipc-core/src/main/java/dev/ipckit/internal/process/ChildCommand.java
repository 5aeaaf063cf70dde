package dev.ipckit.internal.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: this JVM's {@code java}, the flags of this JVM a child should share, the
 * caller's options, where the classes are ({@link ChildClassPath}, and this JVM's module path when it has one)
 * and {@link ChildMain}.
 *
 * <p>When ipckit itself is a named module (an application launched with {@code java -p ... -m app/...}: ipc-core's
 * jar is then the automatic module {@code dev.ipckit.core}), the child runs {@code ChildMain} as {@code -m} of that
 * module, by the name this JVM gave it, with the same module path and every module on it resolved
 * ({@code --add-modules ALL-MODULE-PATH}), so the task's module is in the child's boot layer as in the parent's.
 */
public final class ChildCommand {
  private static volatile List<String> launcherAndFlags;

  private ChildCommand() {
  }

  /** The command line of a child with {@code options} whose classes are found on {@code path}. */
  public static List<String> of(List<String> options, ChildClassPath path) {
    List<String> cmd = new ArrayList<>(launcherAndFlags());
    cmd.addAll(options);
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && !modulePath.isEmpty()) {
      cmd.add("--module-path");
      cmd.add(modulePath);
      cmd.add("--add-modules");
      cmd.add("ALL-MODULE-PATH");
    }
    if (!path.entries().isEmpty()) {
      cmd.add("-cp");
      cmd.add(path.joined());
    }
    Module m = ChildMain.class.getModule();
    if (m.isNamed()) {
      cmd.add("-m");
      cmd.add(m.getName() + "/" + ChildMain.class.getName());
    } else {
      cmd.add(ChildMain.class.getName());
    }
    return cmd;
  }

  /** The {@code java} launcher of this JVM. */
  public static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .filter(c -> Files.isExecutable(Path.of(c)))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The JVM flags of this JVM that a child should share. */
  public static List<String> inheritedJvmFlags() {
    List<String> out = new ArrayList<>();
    List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < in.size(); i++) {
      String a = in.get(i);
      if (a.startsWith("-Dcom.sun.management.") || a.startsWith("-Djdk.module.")) {
        continue;     // a JMX port or agent option would collide in the child; module options are the launcher's
      }
      if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-D")
          || a.startsWith("-Xshare:") || a.startsWith("-XX:SharedArchiveFile=")
          || a.startsWith("-XX:MaxRAMPercentage=") || a.startsWith("-XX:InitialRAMPercentage=")
          || a.startsWith("-XX:MinRAMPercentage=") || a.startsWith("-XX:MaxRAM=")
          || a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("--add-modules=")
          || a.startsWith("--add-reads=") || a.startsWith("--enable-native-access") || a.equals("--enable-preview")
          || a.equals("-ea") || a.equals("-esa") || a.startsWith("-ea:") || a.equals("-enableassertions")
          || a.startsWith("-enableassertions:")) {
        out.add(a);
      } else if ((a.equals("--add-opens") || a.equals("--add-exports") || a.equals("--add-modules")
          || a.equals("--add-reads")) && i + 1 < in.size()) {
        out.add(a);
        out.add(in.get(++i));
      }
    }
    return out;
  }

  /** {@code java} and the inherited flags, computed once (the management bean costs milliseconds to load). */
  private static List<String> launcherAndFlags() {
    List<String> l = launcherAndFlags;
    if (l == null) {
      List<String> cmd = new ArrayList<>();
      cmd.add(javaExecutable());
      cmd.addAll(inheritedJvmFlags());
      l = List.copyOf(cmd);
      launcherAndFlags = l;
    }
    return l;
  }
}
