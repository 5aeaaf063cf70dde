package dev.ipckit;

/**
 * A message its codec could not decode, thrown by the call that received it ({@link IpcQueue#take()} and the
 * other taking calls, {@link Connection#recv()}). The message has left the queue or pipe, since a message that
 * can never be decoded cannot stay at the head without blocking every message behind it; its bytes travel here
 * instead, to be logged, kept or decoded another way. The queue or pipe stays usable.
 */
public class DecodeException extends IpcException {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;

  /**
   * @param message what failed and where
   * @param bytes   the message's bytes, as received
   * @param cause   what the codec threw; null if it returned an unusable result
   */
  public DecodeException(String message, byte[] bytes, Throwable cause) {
    super(message, cause);
    this.bytes = bytes.clone();
  }

  /** The bytes of the message that could not be decoded (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }
}
