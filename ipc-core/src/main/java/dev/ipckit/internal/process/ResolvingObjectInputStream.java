package dev.ipckit.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An object stream that resolves a class as {@link ObjectInputStream} does and, failing that, through the
 * thread's context class loader (a class of the application that ipckit's own loader cannot see: the source
 * launcher's, a plugin's, one handed to a child), and that remembers the first class it could not find.
 *
 * <p>That memory matters for lambdas: a serialized lambda whose capturing class is missing does not fail with
 * {@link ClassNotFoundException} but later, with a {@link ClassCastException} about {@code SerializedLambda};
 * {@link #readObjectNamingMissing()} names the class that was really missing.
 */
public final class ResolvingObjectInputStream extends ObjectInputStream {
  private ClassNotFoundException missing;

  public ResolvingObjectInputStream(InputStream in) throws IOException {
    super(in);
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
    try {
      return super.resolveClass(desc);
    } catch (ClassNotFoundException e) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      if (context != null) {
        try {
          return Class.forName(desc.getName(), false, context);
        } catch (ClassNotFoundException again) {
          // the same news
        }
      }
      if (missing == null) {
        missing = e;
      }
      throw e;
    }
  }

  /**
   * Reads the next object; when reading fails after a class was missing (a lambda whose capturing class is missing
   * fails late, with a {@link ClassCastException}), throws that class's {@link ClassNotFoundException} instead.
   */
  public Object readObjectNamingMissing() throws IOException, ClassNotFoundException {
    try {
      return readObject();
    } catch (RuntimeException e) {
      if (missing != null) {
        throw missing;
      }
      throw e;
    }
  }
}
