package io.cmpay;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;

/**
 * An owned libcmpay handle (a JNA PointerType whose pointer is passed to the
 * C functions). {@link #close()} frees it once with the library's own _free;
 * using it afterwards throws IllegalStateException rather than passing a
 * freed pointer. Do not close a handle while other threads still use it.
 */
public abstract class Handle extends PointerType implements AutoCloseable {

    protected Handle() {
    }

    Handle(Pointer p) {
        super(p);
    }

    /** Frees the native object (idempotent). */
    @Override
    public final void close() {
        Pointer p;
        synchronized (this) {
            p = getPointer();
            setPointer(null);
        }
        if (p != null) {
            free(p);
        }
    }

    /** Whether {@link #close()} has been called. */
    public final synchronized boolean isClosed() {
        return getPointer() == null;
    }

    /** The native pointer, checked open, for a native call. */
    final Pointer ptr() {
        Pointer p = getPointer();
        if (p == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        return p;
    }

    abstract void free(Pointer p);
}
