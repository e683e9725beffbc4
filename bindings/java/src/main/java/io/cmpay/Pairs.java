package io.cmpay;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one carrier of field lists at the C ABI, both ways: NUL pairs
 * "name\0value\0name\0value\0" (every name and value followed by one NUL,
 * so an empty last value survives), UTF-8 with no escaping. Marshalling
 * only; what the fields mean is the library's business.
 */
final class Pairs {
    private Pairs() {
    }

    /** Parameters as NUL pairs; a NUL inside a name or value cannot cross: refused, never cut. */
    static byte[] encode(Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        StringBuilder sb = new StringBuilder(64 * params.size());
        for (Map.Entry<String, ?> e : params.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "a parameter name is null");
            }
            String value = text(name, e.getValue());
            if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "parameter " + name.replace("\0", "\\0")
                        + " holds a NUL character, which no field may hold");
            }
            sb.append(name).append('\0').append(value).append('\0');
        }
        return CmpayLibrary.utf8(sb.toString(), "parameters");
    }

    /**
     * A value as text: a String as it is, an integer (amount, period...) in decimal, null as "".
     * Fractions and other types are refused: amounts are whole fen.
     */
    private static String text(String name, Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "parameter " + name + " must be a String or an integer, not "
                + value.getClass().getSimpleName());
    }

    /** The library's NUL pairs in the first {@code total} bytes of {@code b}, in order. */
    static Map<String, String> decode(byte[] b, int total) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        for (int at = 0, end = 0; end < total; end++) {
            if (b[end] == 0) {
                String part = CmpayLibrary.text(b, at, end - at);
                if (name == null) {
                    name = part;
                } else {
                    out.put(name, part);
                    name = null;
                }
                at = end + 1;
            }
        }
        return out;
    }
}
