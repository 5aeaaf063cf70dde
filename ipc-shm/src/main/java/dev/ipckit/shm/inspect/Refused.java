package dev.ipckit.shm.inspect;

/** Thrown when {@link Removal} will not remove an object: the message says why. */
public final class Refused extends Exception {
  private static final long serialVersionUID = 1L;

  public Refused(String message) {
    super(message);
  }
}
