package dev.ipckit.internal;

import dev.ipckit.Codec;
import dev.ipckit.Task;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
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
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 *          twice, the index of its first capture: the child gets one object, as from Java serialization)
 * </pre>
 */
public final class DirectTask implements Task {
  private static final long serialVersionUID = 1L;

  /** "ipcL". */
  static final int MAGIC = 0x6970634C;
  /** Most captured values accepted (a lambda's limit is 255 parameters). */
  static final int MAX_ARGS = 255;

  private static final int TAG_NULL = 0;
  private static final int TAG_STRING = 1;
  private static final int TAG_INT = 2;
  private static final int TAG_LONG = 3;
  private static final int TAG_DOUBLE = 4;
  private static final int TAG_FLOAT = 5;
  private static final int TAG_SHORT = 6;
  private static final int TAG_BYTE = 7;
  private static final int TAG_CHAR = 8;
  private static final int TAG_BOOLEAN = 9;
  private static final int TAG_HANDLE = 10;
  /** The same object as an earlier captured value (its index follows), as Java serialization keeps it. */
  private static final int TAG_SAME = 11;

  private static final int CODEC_NONE = 0;
  private static final int CODEC_BYTES = 1;
  private static final int CODEC_STRING = 2;
  private static final int CODEC_SERIALIZABLE = 3;

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
      resolve(owner, lambda.getImplMethodName(), lambda.getImplMethodSignature(), lambda.getImplMethodKind(),
          lambda.getCapturedArgCount());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      writeString(out, lambda.getImplClass());
      writeString(out, lambda.getImplMethodName());
      writeString(out, lambda.getImplMethodSignature());
      out.writeByte(lambda.getImplMethodKind());
      out.writeInt(lambda.getCapturedArgCount());
      for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
        Object v = lambda.getCapturedArg(i);
        int same = firstIndexOf(lambda, v, i);
        if (same >= 0) {
          out.writeByte(TAG_SAME);
          out.writeByte(same);
        } else if (!writeValue(out, v)) {
          return null;
        }
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
      Executable target = resolve(owner, name, descriptor, kind, count);
      Object[] values = new Object[count];
      for (int i = 0; i < count; i++) {
        values[i] = readValue(in, values, i);
      }
      if (in.read() >= 0) {
        throw new InvalidObjectException("trailing bytes after a direct task for " + owner.getName() + "." + name);
      }
      boolean bound = kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_newInvokeSpecial;
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

  /**
   * The method or constructor a lambda of this kind calls with {@code captured} values and no further
   * arguments, made accessible.
   */
  static Executable resolve(Class<?> owner, String name, String descriptor, int kind, int captured)
      throws ReflectiveOperationException {
    Executable found;
    switch (kind) {
      case MethodHandleInfo.REF_newInvokeSpecial:
        found = constructor(owner, descriptor);
        break;
      case MethodHandleInfo.REF_invokeStatic:
      case MethodHandleInfo.REF_invokeVirtual:
      case MethodHandleInfo.REF_invokeInterface:
      case MethodHandleInfo.REF_invokeSpecial:
        found = method(owner, name, descriptor);
        break;
      default:
        throw new NoSuchMethodException("unsupported reference kind " + kind + " for " + owner.getName() + "."
            + name + descriptor);
    }
    int mods = found.getModifiers();
    boolean isStatic = found instanceof Method && Modifier.isStatic(mods);
    if (isStatic != (kind == MethodHandleInfo.REF_invokeStatic)
        || kind == MethodHandleInfo.REF_invokeSpecial && !Modifier.isPrivate(mods)) {
      // invokespecial of a non-private method is a super call: reflection would dispatch virtually
      throw new NoSuchMethodException("reference kind " + kind + " does not match " + found);
    }
    boolean bound = kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_newInvokeSpecial;
    if (found.getParameterCount() + (bound ? 1 : 0) != captured) {
      throw new NoSuchMethodException(found + " does not take the " + captured + " captured values");
    }
    if (!found.trySetAccessible()) {
      throw new IllegalAccessException("cannot make " + found + " accessible");
    }
    return found;
  }

  private static Constructor<?> constructor(Class<?> owner, String descriptor) throws NoSuchMethodException {
    for (Constructor<?> c : owner.getDeclaredConstructors()) {
      if (descriptor(c.getParameterTypes(), void.class).equals(descriptor)) {
        return c;
      }
    }
    throw new NoSuchMethodException(owner.getName() + ".<init>" + descriptor);
  }

  /** Declared in {@code owner}, else inherited from a superclass, else from an interface. */
  private static Method method(Class<?> owner, String name, String descriptor) throws NoSuchMethodException {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
      Method m = declared(c, name, descriptor);
      if (m != null) {
        return m;
      }
      chain.add(c);
    }
    ArrayDeque<Class<?>> todo = new ArrayDeque<>();
    for (Class<?> c : chain) {
      for (Class<?> i : c.getInterfaces()) {
        todo.add(i);
      }
    }
    while (!todo.isEmpty()) {
      Class<?> i = todo.poll();
      Method m = declared(i, name, descriptor);
      if (m != null) {
        return m;
      }
      for (Class<?> s : i.getInterfaces()) {
        todo.add(s);
      }
    }
    throw new NoSuchMethodException(owner.getName() + "." + name + descriptor);
  }

  private static Method declared(Class<?> c, String name, String descriptor) {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && descriptor(m.getParameterTypes(), m.getReturnType()).equals(descriptor)) {
        return m;
      }
    }
    return null;
  }

  /** The JVM method descriptor, as in {@code (ILjava/lang/String;)V}. */
  static String descriptor(Class<?>[] parameters, Class<?> returns) {
    StringBuilder sb = new StringBuilder(64).append('(');
    for (Class<?> p : parameters) {
      appendDescriptor(sb, p);
    }
    return appendDescriptor(sb.append(')'), returns).toString();
  }

  private static StringBuilder appendDescriptor(StringBuilder sb, Class<?> c) {
    if (c.isArray()) {
      return sb.append(c.getName().replace('.', '/'));
    }
    if (!c.isPrimitive()) {
      return sb.append('L').append(c.getName().replace('.', '/')).append(';');
    }
    char code;
    if (c == int.class) {
      code = 'I';
    } else if (c == long.class) {
      code = 'J';
    } else if (c == boolean.class) {
      code = 'Z';
    } else if (c == double.class) {
      code = 'D';
    } else if (c == float.class) {
      code = 'F';
    } else if (c == byte.class) {
      code = 'B';
    } else if (c == char.class) {
      code = 'C';
    } else if (c == short.class) {
      code = 'S';
    } else {
      code = 'V';
    }
    return sb.append(code);
  }

  /** Writes {@code v} with its tag; false if its type has no direct form. */
  private static boolean writeValue(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(TAG_NULL);
    } else if (v instanceof String) {
      out.writeByte(TAG_STRING);
      writeString(out, (String) v);
    } else if (v instanceof Integer) {
      out.writeByte(TAG_INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte(TAG_LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Double) {
      out.writeByte(TAG_DOUBLE);
      out.writeLong(Double.doubleToRawLongBits((Double) v));
    } else if (v instanceof Float) {
      out.writeByte(TAG_FLOAT);
      out.writeInt(Float.floatToRawIntBits((Float) v));
    } else if (v instanceof Short) {
      out.writeByte(TAG_SHORT);
      out.writeShort((Short) v);
    } else if (v instanceof Byte) {
      out.writeByte(TAG_BYTE);
      out.writeByte((Byte) v);
    } else if (v instanceof Character) {
      out.writeByte(TAG_CHAR);
      out.writeChar((Character) v);
    } else if (v instanceof Boolean) {
      out.writeByte(TAG_BOOLEAN);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Handle) {
      HandleRef ref = ((Handle) v).handleRef();
      int codec = codecTag(ref.codec());
      if (codec < 0) {
        return false;
      }
      out.writeByte(TAG_HANDLE);
      writeString(out, ref.dir());
      writeString(out, ref.kind());
      writeString(out, ref.name());
      out.writeLong(ref.arg());
      out.writeBoolean(ref.flag());
      out.writeByte(codec);
    } else {
      return false;
    }
    return true;
  }

  /** The index of the first captured value before {@code end} that is {@code v} itself, or -1. */
  private static int firstIndexOf(SerializedLambda lambda, Object v, int end) {
    if (v != null) {
      for (int j = 0; j < end; j++) {
        if (lambda.getCapturedArg(j) == v) {
          return j;
        }
      }
    }
    return -1;
  }

  private static Object readValue(DataInputStream in, Object[] earlier, int index) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case TAG_SAME:
        int same = in.readUnsignedByte();
        if (same >= index) {
          throw new InvalidObjectException("captured value " + index + " refers to value " + same
              + ", not an earlier one");
        }
        return earlier[same];
      case TAG_NULL: return null;
      case TAG_STRING: return readString(in);
      case TAG_INT: return in.readInt();
      case TAG_LONG: return in.readLong();
      case TAG_DOUBLE: return Double.longBitsToDouble(in.readLong());
      case TAG_FLOAT: return Float.intBitsToFloat(in.readInt());
      case TAG_SHORT: return in.readShort();
      case TAG_BYTE: return in.readByte();
      case TAG_CHAR: return in.readChar();
      case TAG_BOOLEAN: return in.readBoolean();
      case TAG_HANDLE:
        String dir = readString(in);
        String kind = readString(in);
        String name = readString(in);
        long arg = in.readLong();
        boolean flag = in.readBoolean();
        return new HandleRef(dir, kind, name, arg, flag, codec(in.readUnsignedByte())).reopen();
      default:
        throw new InvalidObjectException("unknown value tag in a direct task: " + tag);
    }
  }

  private static int codecTag(Codec<?> codec) {
    if (codec == null) {
      return CODEC_NONE;
    }
    if (codec == Codec.bytes()) {
      return CODEC_BYTES;
    }
    if (codec == Codec.string()) {
      return CODEC_STRING;
    }
    return codec == Codec.serializable() ? CODEC_SERIALIZABLE : -1;
  }

  private static Codec<?> codec(int tag) throws InvalidObjectException {
    switch (tag) {
      case CODEC_NONE: return null;
      case CODEC_BYTES: return Codec.bytes();
      case CODEC_STRING: return Codec.string();
      case CODEC_SERIALIZABLE: return Codec.serializable();
      default: throw new InvalidObjectException("unknown codec tag in a direct task: " + tag);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
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
