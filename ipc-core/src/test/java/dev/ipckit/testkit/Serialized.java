package dev.ipckit.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** Java serialization for tests: an object's bytes, an object read back from bytes, and the round trip. */
public final class Serialized {
  private Serialized() {
  }

  /** {@code o} written with an {@link ObjectOutputStream}. */
  public static byte[] bytes(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  /** The object {@code b} holds, read with an {@link ObjectInputStream}. */
  public static Object read(byte[] b) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      return in.readObject();
    }
  }

  /** {@code o} written and read back (a handle travels as its reference and reopens). */
  @SuppressWarnings("unchecked")
  public static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
    return (T) read(bytes(o));
  }
}
