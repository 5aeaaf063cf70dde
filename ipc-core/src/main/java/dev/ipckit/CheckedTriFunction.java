package dev.ipckit;

import java.io.Serializable;

/**
 * A function of three arguments that may throw any exception and travels by serialization: what
 * {@link Pool#starmap(CheckedTriFunction, java.util.List)} applies to the parts of each {@link Args.Three}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <C> the type of the third argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface CheckedTriFunction<A, B, C, R> extends Serializable {
  /**
   * Applies this function to {@code a}, {@code b} and {@code c}.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the result
   * @throws Exception whatever the function throws; it fails the tuple it was applied to
   */
  R apply(A a, B b, C c) throws Exception;
}
