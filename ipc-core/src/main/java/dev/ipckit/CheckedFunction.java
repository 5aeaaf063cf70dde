package dev.ipckit;

import java.io.Serializable;

/**
 * A function of one argument that may throw any exception and travels by serialization: what {@link Pool#map},
 * {@link Pool#imap} and their variants apply to each item in a worker.
 *
 * <p>A lambda of this type may throw checked exceptions, so {@code pool.map(x -> { Thread.sleep(10); return x; },
 * items)} compiles. What the function throws for an item fails that item: the map's {@link
 * java.util.concurrent.ExecutionException}, or the {@link java.util.concurrent.CompletionException} that an
 * iterator's {@code next()} throws, has it as its cause. {@link SerializableFunction} is a {@code CheckedFunction}
 * whose {@code apply} throws no checked exception, so a variable of that type may be passed wherever this one is
 * taken.
 *
 * <p>Like every serializable lambda, it carries what it captures: capture only serializable values and ipckit
 * handles.
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface CheckedFunction<T, R> extends Serializable {
  /**
   * Applies this function to {@code t}.
   *
   * @param t the argument
   * @return the result
   * @throws Exception whatever the function throws; it fails the item it was applied to
   */
  R apply(T t) throws Exception;
}
