package dev.ipckit.cli;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.Children;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that run the command against a namespace this JVM has open share: the children (the command's
 * JVMs and the test's processes), a scratch directory for the command's output, and the namespace, closed after
 * each test.
 */
abstract class AgainstANamespace {
  @RegisterExtension
  final Children children = new Children();
  @TempDir
  Path scratch;
  Ipc ipc;

  @AfterEach
  void close() {
    if (ipc != null) {
      ipc.close();
    }
  }
}
