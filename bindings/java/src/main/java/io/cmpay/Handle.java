package io.cmpay;

import com.sun.jna.Pointer;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An owned libcmpay handle. {@link #close()} (or try-with-resources) frees it
 * once with the library's own _free; using it afterwards throws
 * IllegalStateException rather than passing a freed pointer.
 *
 * <p>A handle that is never closed is freed anyway once the garbage collector
 * finds it unreachable: a cleaner thread ("cmpay-cleaner") frees it, as
 * java.lang.ref.Cleaner would (written out here because the binding runs on
 * Java 8, which has no Cleaner). Closing stays the way to free memory
 * promptly. A native call in progress holds the handle: it is freed after
 * the call returns, never during it, even when close() or the cleaner comes
 * first on another thread.
 */
public abstract class Handle implements AutoCloseable {

    /** The library's _free for one kind of handle. */
    interface Free {
        void free(Pointer p);
    }

    /** A native call with the handle's pointer, for {@link #call}. */
    interface Call<T> {
        T apply(Pointer p);
    }

    private final State state;
    private final Cleaning cleaning;

    Handle(Pointer p, Free free) {
        if (p == null) {
            throw CmpayLibrary.input(Status.NULL_POINTER, "the library returned no handle");
        }
        state = new State(p, free);
        cleaning = Cleaning.register(this, state);
    }

    /** Frees the native object (idempotent; a call in progress on another thread frees it when it returns). */
    @Override
    public final void close() {
        if (state.close(false)) {
            cleaning.forget();
        }
    }

    /** Whether {@link #close()} has been called (or the cleaner freed it). */
    public final boolean isClosed() {
        return state.closed.get();
    }

    /** Runs a native call with the handle's pointer, which stays allocated until it returns. */
    final <T> T call(Call<T> f) {
        Pointer p = state.acquire(getClass().getSimpleName());
        try {
            return f.apply(p);
        } finally {
            state.release();
        }
    }

    /**
     * Native frees of handles that were never closed: counted when the
     * library's _free has run for a handle the cleaner let go of (for tests
     * and monitoring).
     */
    static long cleanedByGc() {
        return Cleaning.CLEANED.get();
    }

    /** This handle's pointer and owners (tests follow a handle's state after dropping the handle). */
    final State state() {
        return state;
    }

    /**
     * The pointer and its owners: the Handle (until closed or collected) and
     * each call in progress. The last owner to let go frees it. It holds no
     * reference to the Handle, so the Handle can become unreachable.
     */
    static final class State {
        private final Pointer p;
        private final Free free;
        private final AtomicInteger owners = new AtomicInteger(1);
        final AtomicBoolean closed = new AtomicBoolean();
        /** The cleaner, not close(), let go of the handle: set before that owner's release. */
        private volatile boolean byCleaner;
        /** The library's _free has run (set just after it returned). */
        private volatile boolean freed;

        State(Pointer p, Free free) {
            this.p = p;
            this.free = free;
        }

        Pointer acquire(String what) {
            for (;;) {
                int n = owners.get();
                if (n == 0 || closed.get()) {
                    throw new IllegalStateException(what + " is closed");
                }
                if (owners.compareAndSet(n, n + 1)) {
                    return p;
                }
            }
        }

        void release() {
            if (owners.decrementAndGet() == 0) {
                free.free(p);
                freed = true;
                // Also when a call in progress was the last owner: the cleaner still caused this free.
                if (byCleaner) {
                    Cleaning.CLEANED.incrementAndGet();
                }
            }
        }

        /** The Handle lets go of its ownership, once. */
        boolean close(boolean byGc) {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            byCleaner = byGc;
            release();
            return true;
        }

        /** Whether the native object has been freed. */
        boolean freed() {
            return freed;
        }

        /** Whether it was freed because the cleaner found the handle unreachable (never closed). */
        boolean freedByCleaner() {
            return freed && byCleaner;
        }
    }

    /** The cleaner: phantom references to handles, drained by one daemon thread. */
    private static final class Cleaning extends PhantomReference<Handle> {
        static final AtomicLong CLEANED = new AtomicLong();
        private static final ReferenceQueue<Handle> QUEUE = new ReferenceQueue<>();
        // The references themselves must stay reachable until their handle is.
        private static final Set<Cleaning> LIVE = Collections.newSetFromMap(new ConcurrentHashMap<Cleaning, Boolean>());

        static {
            Thread t = new Thread(Cleaning::drain, "cmpay-cleaner");
            t.setDaemon(true);
            // The binding's own loader, not that of the thread that first used the binding (a web
            // application's, in a servlet container): the thread must not keep an undeployed
            // application's classes alive, nor pass in the container's eyes for that application's.
            t.setContextClassLoader(Cleaning.class.getClassLoader());
            t.start();
        }

        private final State state;

        private Cleaning(Handle h, State state) {
            super(h, QUEUE);
            this.state = state;
        }

        static Cleaning register(Handle h, State state) {
            Cleaning c = new Cleaning(h, state);
            LIVE.add(c);
            return c;
        }

        /** Closed by its owner: nothing left for the cleaner to do. */
        void forget() {
            clear();
            LIVE.remove(this);
        }

        private static void drain() {
            for (;;) {
                try {
                    Reference<? extends Handle> r = QUEUE.remove();
                    Cleaning c = (Cleaning) r;
                    LIVE.remove(c);
                    c.state.close(true);
                } catch (InterruptedException e) {
                    // a daemon: keep serving until the JVM exits
                } catch (RuntimeException e) {
                    // a failing _free must not end the cleaner (the library's frees never throw)
                }
            }
        }
    }
}
