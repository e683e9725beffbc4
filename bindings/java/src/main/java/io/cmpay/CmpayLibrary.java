package io.cmpay;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;

/**
 * Where libcmpay is loaded from, and the library-wide functions.
 *
 * <p>Lookup order: (1) the path given to {@link #load(String)} before the first
 * other use; (2) the environment variable {@code CMPAY_LIB} (a full path to
 * libcmpay.so / cmpay.dll / libcmpay.dylib); (3) JNA's search for "cmpay":
 * {@code -Djna.library.path=DIR}, then the system's (java.library.path,
 * LD_LIBRARY_PATH, PATH on Windows), then the classpath: inside the jar of
 * {@code make dist}, {@code linux-x86-64/} and {@code linux-aarch64/libcmpay.so},
 * {@code win32-x86-64/} and {@code win32-x86/cmpay.dll}, the one JNA's resource
 * prefix names for the running JVM ({@code Platform.RESOURCE_PREFIX}; a 32-bit
 * JVM's {@code os.arch} is x86 also on 64-bit Windows, so it takes win32-x86/).
 */
public final class CmpayLibrary {
    /** The environment variable naming the library file. */
    public static final String ENVIRONMENT_VARIABLE = "CMPAY_LIB";

    private static volatile CmpayNative lib;
    private static String loadedFrom;

    private CmpayLibrary() {
    }

    /** Uses the library at {@code path}; call it once, before anything else (same path again is harmless). */
    public static synchronized void load(String path) {
        Objects.requireNonNull(path, "path");
        String full = new File(path).getAbsolutePath();
        if (lib != null) {
            if (full.equals(loadedFrom)) {
                return;
            }
            throw new IllegalStateException("libcmpay is already loaded from " + loadedFrom);
        }
        if (!new File(full).isFile()) {
            throw new CmpayLibraryNotFoundException(full + ": no such file", null);
        }
        bind(full);
    }

    /** What was loaded: a full path, or "cmpay" for JNA's own search. */
    public static synchronized String loadedFrom() {
        get();
        return loadedFrom;
    }

    static CmpayNative get() {
        CmpayNative l = lib;
        if (l != null) {
            return l;
        }
        synchronized (CmpayLibrary.class) {
            if (lib == null) {
                String env = System.getenv(ENVIRONMENT_VARIABLE);
                if (env != null && !env.isEmpty()) {
                    String full = new File(env).getAbsolutePath();
                    if (!new File(full).isFile()) {
                        throw new CmpayLibraryNotFoundException(ENVIRONMENT_VARIABLE + "=" + env + ": no such file", null);
                    }
                    bind(full);
                } else {
                    bind("cmpay");
                }
            }
            return lib;
        }
    }

    private static void bind(String nameOrPath) {
        try {
            // Direct mapping (CmpayNative's native methods), registered once: then the one instance.
            // The binding's own class loader finds a library packed in its jar (linux-x86-64/...), as
            // Native.load would, whichever thread (and context class loader) comes first.
            Native.register(CmpayNative.class, NativeLibrary.getInstance(nameOrPath,
                    Collections.singletonMap(Library.OPTION_CLASSLOADER, CmpayNative.class.getClassLoader())));
            lib = new CmpayNative();
        } catch (UnsatisfiedLinkError e) {
            throw new CmpayLibraryNotFoundException("cannot load libcmpay (" + nameOrPath + "): " + e.getMessage()
                    + "; set CMPAY_LIB, -Djna.library.path, or call CmpayLibrary.load(path)", e);
        }
        loadedFrom = nameOrPath;
    }

    /** The library's version, e.g. "0.2.0". */
    public static String version() {
        return staticString(get().cmpay_version());
    }

    /** The C enumerator's name of a status number, e.g. "CMPAY_GATEWAY" ("CMPAY_UNKNOWN" for no status). */
    public static String statusName(int code) {
        return staticString(get().cmpay_status_name(code));
    }

    // --- the one place a status becomes an exception, and strings cross ---

    /** Throws the exception for a non-OK status, with the thread's last error copied right away. */
    static void check(int status) {
        if (status == 0) {
            return;
        }
        CmpayNative n = get();
        String message = staticString(n.cmpay_last_error());
        String returnCode = staticString(n.cmpay_last_error_return_code());
        String field = staticString(n.cmpay_last_error_field());
        String name = staticString(n.cmpay_status_name(status));
        throw CmpayException.of(status, name, message.isEmpty() ? name : message, returnCode, field);
    }

    /** An error found by the wrapper before calling the library. */
    static CmpayException input(Status s, String message) {
        return CmpayException.of(s.code, "CMPAY_" + s.name(), message, null, null);
    }

    /**
     * A String as the C string a function takes: its UTF-8 bytes and a NUL.
     * Refused unless it crosses unaltered: no NUL (it would cut the C string
     * short), no lone surrogate (never replaced by '?'). null is a
     * NullPointerException naming the argument.
     */
    static byte[] text(String s, String what) {
        Objects.requireNonNull(s, what);
        int n = s.length();
        byte[] z = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw input(Status.INVALID_ARGUMENT, what + " contains a NUL character");
            }
            if (c >= 0x80) { // not ASCII: the strict encoder
                if (s.indexOf('\0', i) >= 0) {
                    throw input(Status.INVALID_ARGUMENT, what + " contains a NUL character");
                }
                byte[] b = utf8(s, what);
                z = new byte[b.length + 1];
                System.arraycopy(b, 0, z, 0, b.length);
                return z;
            }
            z[i] = (byte) c; // ASCII is its own UTF-8 (names, ids, keys: the common case)
        }
        return z;
    }

    /** Strict UTF-8 bytes of a String (a lone surrogate is refused, never replaced). */
    static byte[] utf8(String s, String what) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw input(Status.INVALID_UTF8, what + " is not valid UTF-16 text (a lone surrogate)");
        }
    }

    /** Copies a library-owned static or thread-local string (never freed). */
    static String staticString(Pointer p) {
        return p == null ? "" : decode(p);
    }

    /** Copies a string returned through char** (the pointer read from its slot) and frees it with cmpay_string_free, in finally. */
    static String take(Pointer p) {
        if (p == null) {
            return null;
        }
        try {
            return decode(p);
        } finally {
            get().cmpay_string_free(p);
        }
    }

    /** Takes the out-strings of a call's slots (all read before the first free); every one is freed even if one fails to decode. */
    static String[] takeAll(long[]... slots) {
        int n = slots.length;
        Pointer[] ps = new Pointer[n];
        for (int i = 0; i < n; i++) {
            ps[i] = Out.pointer(slots[i]);
        }
        String[] out = new String[n];
        RuntimeException first = null;
        for (int i = 0; i < n; i++) {
            try {
                out[i] = take(ps[i]);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    /** The UTF-8 text of {@code len} bytes of {@code b} from {@code off}: ASCII copied as is, anything else decoded strictly. */
    static String text(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) { // a byte >= 0x80: not ASCII
                return strictUtf8(Arrays.copyOfRange(b, off, off + len));
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static String decode(Pointer p) {
        // One copy of the bytes up to the NUL, each byte one char (ISO-8859-1 is lossless):
        // ASCII, what most values are, is then already the UTF-8 text.
        String latin1 = p.getString(0, "ISO-8859-1");
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) >= 0x80) {
                return strictUtf8(latin1.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return latin1;
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw input(Status.INVALID_UTF8, "the library returned text that is not UTF-8");
        }
    }

    static CmpayNative.SizeT len(byte[] b) {
        return new CmpayNative.SizeT(b == null ? 0 : b.length);
    }
}
