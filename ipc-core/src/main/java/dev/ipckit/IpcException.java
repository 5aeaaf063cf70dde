package dev.ipckit;

/**
 * A failure of the shared-memory machinery itself: a file that cannot be created, opened or mapped, a foreign
 * or damaged file. The message names the file and what was found.
 */
public class IpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IpcException(String message) {
    super(message);
  }

  public IpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
