package dev.ipckit;

import java.io.Serializable;

/**
 * A function of two arguments that may throw any exception and travels by serialization: what
 * {@link Pool#starmap(CheckedBiFunction, java.util.List)} applies to the parts of each {@link Args.Two}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface CheckedBiFunction<A, B, R> extends Serializable {
  /**
   * Applies this function to {@code a} and {@code b}.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the result
   * @throws Exception whatever the function throws; it fails the tuple it was applied to
   */
  R apply(A a, B b) throws Exception;
}
