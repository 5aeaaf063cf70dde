package dev.ipckit.internal.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * Java serialization of what a child runs, recording every class the stream names, so that the caller can tell
 * whether the child will find them ({@link ChildClassPath#covers}) or must be handed their bytes.
 */
public final class TaskWriter {
  private TaskWriter() {
  }

  /** The serialized message and the classes its stream names. */
  public record Written(byte[] bytes, Set<Class<?>> classes) {
  }

  /**
   * Serializes {@code message}, which carries the user's {@code task} (a task, or a pool job's callable).
   *
   * @throws IllegalArgumentException naming the class when the task captures something not serializable
   * @throws IllegalStateException    when the task captures a closed handle (of a closed {@code Ipc}, say)
   */
  public static Written write(Serializable message, Object task) {
    Objects.requireNonNull(task, "task");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    Set<Class<?>> classes = Collections.newSetFromMap(new IdentityHashMap<>());
    try (ObjectOutputStream out = new Recording(bytes, classes)) {
      out.writeObject(message);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("the task captures an object that is not serializable: class "
          + e.getMessage() + " (a task may capture only serializable values and ipckit handles; task class "
          + task.getClass().getName() + ")", e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the task captures a closed ipckit object, which a child cannot open: "
          + e.getMessage() + " (task class " + task.getClass().getName() + ")", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot serialize the task (class " + task.getClass().getName()
          + "): " + e, e);
    }
    return new Written(bytes.toByteArray(), classes);
  }

  /** Notes the class of every class descriptor written. */
  private static final class Recording extends ObjectOutputStream {
    private final Set<Class<?>> classes;

    Recording(OutputStream out, Set<Class<?>> classes) throws IOException {
      super(out);
      this.classes = classes;
    }

    @Override
    protected void annotateClass(Class<?> cl) {
      classes.add(cl);
    }

    @Override
    protected void annotateProxyClass(Class<?> cl) {
      classes.add(cl);
      Collections.addAll(classes, cl.getInterfaces());
    }
  }
}
