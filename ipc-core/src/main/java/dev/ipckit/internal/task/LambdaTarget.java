package dev.ipckit.internal.task;

import java.lang.invoke.MethodHandleInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what a lambda calls: the method or constructor named by a {@link java.lang.invoke.SerializedLambda}'s
 * implementation class, name, descriptor and reference kind, checked against the number of values it captured.
 * {@link DirectTask} resolves a task's target when it encodes it (what fails then travels as Java serialization)
 * and again in the child when it decodes it.
 */
final class LambdaTarget {
  private LambdaTarget() {
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
    boolean bound = bound(kind);
    if (found.getParameterCount() + (bound ? 1 : 0) != captured) {
      throw new NoSuchMethodException(found + " does not take the " + captured + " captured values");
    }
    if (!found.trySetAccessible()) {
      throw new IllegalAccessException("cannot make " + found + " accessible");
    }
    return found;
  }

  /** Whether a lambda of this reference kind takes its receiver as its first captured value. */
  static boolean bound(int kind) {
    return kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_newInvokeSpecial;
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
}
