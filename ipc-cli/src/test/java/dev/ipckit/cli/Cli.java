package dev.ipckit.cli;

import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the command in a JVM of its own (never in the test's, which is in the namespace it inspects). */
final class Cli {
  /** What one run printed and how it ended. */
  static final class Run {
    final int exit;
    final String out;
    final String err;

    Run(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {
  }

  static Run run(Children children, Path scratch, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process p = children.launch(Ipckit.class, out, err, List.of(), args);
    int exit = Children.exitOf(p, Children.RUN);
    return new Run(exit, Files.readString(out), Files.readString(err));
  }
}
