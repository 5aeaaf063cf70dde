package dev.ipckit;

/** The cause of a {@link Pool} task's failure when the worker process running it died. */
public class WorkerDiedException extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkerDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
