package dev.ipckit.kv;

import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import java.io.ObjectStreamException;
import java.io.Serializable;

/** What every kv handle shares: its namespace, name and kind, and its serialized form (a {@link HandleRef}). */
abstract class KvHandle implements Handle, Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  final transient KvNamespace ns;
  final transient String name;
  private final transient String kind;

  KvHandle(KvNamespace ns, String name, String kind) {
    this.ns = ns;
    this.name = name;
    this.kind = kind;
  }

  public String name() {
    return name;
  }

  /** Holds nothing between calls. */
  @Override
  public void close() {
  }

  @Override
  public HandleRef handleRef() {
    return new HandleRef(ns.location(), kind, name, 0, false, null);
  }

  protected final Object writeReplace() throws ObjectStreamException {
    return handleRef();
  }

  @Override
  public String toString() {
    return kind + "[\"" + name + "\" in " + Locations.display(ns.location()) + "]";
  }
}
