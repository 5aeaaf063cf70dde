package dev.ipckit.shm;

import dev.ipckit.Ipc;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What only the shared-memory backend's tests need on top of the shared test kit ({@code dev.ipckit.testkit}
 * in ipc-core's test-jar): a namespace's process registry. {@link #START} and {@link #await} are the kit's, kept
 * here for the tests that still call them by this name.
 */
public final class NamespaceTestKit {
  /** {@link Children#START}. */
  public static final Duration START = Children.START;

  private NamespaceTestKit() {
  }

  /** {@link Await#until}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(what, timeout, condition);
  }

  /** The registry of the JVM-wide namespace instance of {@code ipc} (in a child: where its handles reopened). */
  public static Registry registryOf(Ipc ipc) {
    return (Registry) ((ShmNamespace) ipc.namespace()).liveness();
  }
}
