package dev.ipckit.shm.inspect;

/** Whether a process of a namespace is alive, as the kernel answers (see the package summary for how). */
public enum Life {
  /** Its liveness file is locked by its owner. */
  ALIVE,
  /** Its registry slot was claimed again, its liveness file is gone, or nobody holds the file's lock. */
  DEAD,
  /** The probe could not tell (an I/O error, a file not this user's, an unreadable registry): never dead on a doubt. */
  UNKNOWN;

  /** The lower-case name shown by the command: {@code alive}, {@code dead}, {@code unknown}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
