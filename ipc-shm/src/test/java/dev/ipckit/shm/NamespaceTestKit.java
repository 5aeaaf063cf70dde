package dev.ipckit.shm;

import dev.ipckit.Ipc;
import dev.ipckit.shm.liveness.Registry;

/**
 * What only the shared-memory backend's tests need on top of the shared test kit ({@code dev.ipckit.testkit}
 * in ipc-core's test-jar): a namespace's process registry.
 */
public final class NamespaceTestKit {
  private NamespaceTestKit() {
  }

  /** The slab of the namespace of {@code ipc}, as its handles use it (opened, or created empty). */
  public static dev.ipckit.shm.slab.Slab slabOf(Ipc ipc) {
    return ((ShmNamespace) ipc.namespace()).slab();
  }

  /** The registry of the JVM-wide namespace instance of {@code ipc} (in a child: where its handles reopened). */
  public static Registry registryOf(Ipc ipc) {
    return (Registry) ((ShmNamespace) ipc.namespace()).liveness();
  }
}
