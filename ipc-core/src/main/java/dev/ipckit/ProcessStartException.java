package dev.ipckit;

/**
 * A child JVM started, but could not run its task: a class of the task it cannot load, a handle it cannot reopen,
 * a task written by another ipckit version. Thrown by {@link IpcProcess#join()}, {@link IpcProcess#join(
 * java.time.Duration)} and {@link IpcProcess#exitCode()} once the child has exited (with code 70); the message is
 * the child's own account of what failed, with its class path when a class was missing.
 */
public class ProcessStartException extends IpcException {
  private static final long serialVersionUID = 1L;

  private final String processName;
  private final long pid;

  public ProcessStartException(String processName, long pid, String reason) {
    super(reason);
    this.processName = processName;
    this.pid = pid;
  }

  /** The name of the child that could not run its task. */
  public String processName() {
    return processName;
  }

  /** Its process id. */
  public long pid() {
    return pid;
  }
}
