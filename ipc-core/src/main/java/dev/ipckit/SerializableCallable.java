package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.Callable;

@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
