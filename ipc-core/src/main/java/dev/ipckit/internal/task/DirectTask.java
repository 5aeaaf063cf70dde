package dev.ipckit.internal.task;

import dev.ipckit.Task;
import dev.ipckit.spi.Handle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A lambda {@link Task} in the form a fresh child JVM runs without Java serialization: the method the lambda
 * calls and the values it captured. Reading an object stream costs a cold JVM some 25 ms before the task's first
 * line ({@code ObjectInputStream} and its filter configuration initialise, then {@code LambdaMetafactory} spins
 * the lambda's class); this form costs one reflective call.
 *
 * <p>It applies when the task is a serializable lambda or method reference whose functional interface is
 * {@link Task} itself, whose target the system class loader resolves to the same class, and whose captured values
 * are all {@code null}, strings, boxed primitives or ipckit {@link Handle handles} with a built-in codec. Running
 * it calls the lambda's implementation method with the captured values, which is what the lambda's {@code run()}
 * does. Anything else (a captured list, a lambda that captures {@code this}, a class implementing Task) travels
 * as Java serialization, as before.
 *
 * <p>Format, integers big-endian ({@link DataOutputStream} order); a string is its UTF-8 length as an int, then
 * the bytes:
 * <pre>
 *   int    magic 'ipcL'
 *   string implementation class (binary name, '/' separated, as in {@link SerializedLambda})
 *   string implementation method name
 *   string implementation method descriptor
 *   byte   reference kind ({@link MethodHandleInfo} REF_*)
 *   int    number of captured values, then each: a tag byte and the value (or, for an object captured
 *          twice, the index of its first capture: the child gets one object, as from Java serialization);
 *          a handle is its namespace's location (a URI string), kind, name, arg, flag and codec tag
 * </pre>
 *
 * <p>The form has no version of its own: it travels in a {@link dev.ipckit.internal.process.TaskFrame}, whose
 * version changes with it.
 */
public final class DirectTask implements Task {
  private static final long serialVersionUID = 1L;

  /** "ipcL". */
  static final int MAGIC = 0x6970634C;
  /** Most captured values accepted (a lambda's limit is 255 parameters). */
  static final int MAX_ARGS = 255;

  private final transient Executable target;
  private final transient Object receiver;
  private final transient Object[] args;

  private DirectTask(Executable target, Object receiver, Object[] args) {
    this.target = target;
    this.receiver = receiver;
    this.args = args;
  }

  /** Calls the lambda's implementation with its captured values; what the implementation throws, this throws. */
  @Override
  public void run() throws Exception {
    try {
      if (target instanceof Constructor) {
        ((Constructor<?>) target).newInstance(args);
      } else {
        ((Method) target).invoke(receiver, args);
      }
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "DirectTask[" + target + "]";
  }

  /**
   * The direct form of {@code task}, or null when it does not apply (see the class comment); null is never an
   * error, the caller then serializes the task.
   */
  public static byte[] encode(Task task) {
    SerializedLambda lambda = serializedForm(task);
    if (lambda == null || !lambda.getFunctionalInterfaceClass().equals("dev/ipckit/Task")
        || !lambda.getFunctionalInterfaceMethodName().equals("run")
        || !lambda.getFunctionalInterfaceMethodSignature().equals("()V")
        || lambda.getCapturedArgCount() > MAX_ARGS) {
      return null;
    }
    try {
      // resolve here as the child will: what fails here travels as Java serialization instead
      String ownerName = lambda.getImplClass().replace('/', '.');
      Class<?> owner = Class.forName(ownerName, false, systemLoader());
      if (owner != Class.forName(ownerName, false, task.getClass().getClassLoader())) {
        return null;
      }
      LambdaTarget.resolve(owner, lambda.getImplMethodName(), lambda.getImplMethodSignature(),
          lambda.getImplMethodKind(), lambda.getCapturedArgCount());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      writeString(out, lambda.getImplClass());
      writeString(out, lambda.getImplMethodName());
      writeString(out, lambda.getImplMethodSignature());
      out.writeByte(lambda.getImplMethodKind());
      out.writeInt(lambda.getCapturedArgCount());
      if (!CapturedValues.write(out, lambda)) {
        return null;
      }
      out.flush();
      return bytes.toByteArray();
    } catch (ReflectiveOperationException | LinkageError | IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads a task written by {@link #encode}, loading its classes through the system class loader and reopening
   * the handles it captured.
   *
   * @throws IOException                 on a foreign or truncated form
   * @throws ReflectiveOperationException if a class or method it names is missing or inaccessible
   */
  public static Task decode(byte[] form) throws IOException, ReflectiveOperationException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(form));
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new InvalidObjectException("not a direct task: magic=0x" + Integer.toHexString(magic)
            + ", expected 0x" + Integer.toHexString(MAGIC));
      }
      String implClass = readString(in);
      String name = readString(in);
      String descriptor = readString(in);
      int kind = in.readUnsignedByte();
      int count = in.readInt();
      if (count < 0 || count > MAX_ARGS) {
        throw new InvalidObjectException("bad captured value count in a direct task: " + count);
      }
      Class<?> owner = Class.forName(implClass.replace('/', '.'), false, systemLoader());
      Executable target = LambdaTarget.resolve(owner, name, descriptor, kind, count);
      Object[] values = CapturedValues.read(in, count);
      if (in.read() >= 0) {
        throw new InvalidObjectException("trailing bytes after a direct task for " + owner.getName() + "." + name);
      }
      boolean bound = LambdaTarget.bound(kind);
      if (bound && values[0] == null) {
        throw new InvalidObjectException("a direct task bound to a null receiver: " + target);
      }
      Object receiver = bound ? values[0] : null;
      Object[] args = bound ? Arrays.copyOfRange(values, 1, count) : values;
      return new DirectTask(target, receiver, args);
    } catch (EOFException e) {
      throw new EOFException("direct task truncated (" + form.length + " bytes)");
    }
  }

  /** The lambda's serialized form, or null if {@code task} is not a serializable lambda we can ask for it. */
  private static SerializedLambda serializedForm(Task task) {
    Class<?> c = task.getClass();
    if (!c.isHidden() || !c.isSynthetic()) {
      return null;                      // a class implementing Task: its writeReplace, if any, is user code
    }
    try {
      Method writeReplace = c.getDeclaredMethod("writeReplace");
      if (!writeReplace.trySetAccessible()) {
        return null;
      }
      Object form = writeReplace.invoke(task);
      return form instanceof SerializedLambda ? (SerializedLambda) form : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;                      // not a serializable lambda
    }
  }

  /** Writes a string of the form: its UTF-8 length as an int, then the bytes. */
  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** Reads a string written by {@link #writeString}, refusing a length beyond the bytes left. */
  static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new InvalidObjectException("bad string length in a direct task: " + n);
    }
    byte[] b = in.readNBytes(n);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ClassLoader systemLoader() {
    return ClassLoader.getSystemClassLoader();
  }
}
