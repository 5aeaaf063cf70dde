package dev.ipckit.shm.inspect;

import java.nio.file.Path;
import java.util.List;

/**
 * A namespace as the inspector read it: its directory, the registry's claimed slots (empty when there is no
 * registry yet), why the registry could not be read (null when it could; liveness is then {@link Life#UNKNOWN}),
 * and its objects sorted by name.
 */
public record Snapshot(Path dir, List<ProcessSlot> processes, String registryProblem, List<ObjectInfo> objects) {
  /** Whether any process of the registry is alive or cannot be told dead (what {@code rm} refuses on). */
  public boolean anyoneMaybeAlive() {
    if (registryProblem != null) {
      return true;
    }
    for (ProcessSlot p : processes) {
      if (p.life() != Life.DEAD) {
        return true;
      }
    }
    return false;
  }
}
