package dev.ipckit;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that travels by serialization. Its {@code apply} throws no checked exception; it is also a
 * {@link CheckedFunction}, so it may be passed to every {@link Pool} method that takes one.
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, CheckedFunction<T, R>, Serializable {
  /**
   * Applies this function to {@code t}.
   *
   * @param t the argument
   * @return the result
   */
  @Override
  R apply(T t);
}
