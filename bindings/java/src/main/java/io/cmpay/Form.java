package io.cmpay;

import java.io.UnsupportedEncodingException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bulk-parameter carrier of the C ABI: NUL-separated pairs
 * "name\0value\0name\0value\0" (every name and value followed by one
 * NUL, so an empty last value survives), UTF-8 with no escaping, which the library
 * recognises by the NUL byte. Only when a name or value itself holds a NUL do
 * they cross as a UTF-8 form body "name=value&amp;name=value", percent-encoded,
 * which the library also takes. Marshalling only; what the fields mean is the
 * library's business.
 */
final class Form {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Form() {
    }

    static byte[] encode(Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        List<byte[]> parts = new ArrayList<>(2 * params.size());
        int length = 0;
        boolean nul = false;
        for (Map.Entry<String, ?> e : params.entrySet()) {
            if (e.getKey() == null) {
                throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "a parameter name is null");
            }
            String value = text(e.getKey(), e.getValue());
            byte[] name = CmpayLibrary.utf8(e.getKey(), "parameter name");
            byte[] bytes = CmpayLibrary.utf8(value, "parameter " + e.getKey());
            nul = nul || e.getKey().indexOf('\0') >= 0 || value.indexOf('\0') >= 0;
            parts.add(name);
            parts.add(bytes);
            length += name.length + bytes.length + 2;
        }
        if (parts.isEmpty()) {
            return new byte[0];
        }
        if (nul) {
            return escaped(parts);
        }
        // name\0value\0...\0: the terminators are the zeroes the new array starts with.
        byte[] body = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, body, at, part.length);
            at += part.length + 1;
        }
        return body;
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

    /** The form body fallback, for a name or value holding a NUL (it crosses as %00). */
    private static byte[] escaped(List<byte[]> parts) {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < parts.size(); i += 2) {
            if (i > 0) {
                sb.append('&');
            }
            escape(sb, parts.get(i));
            sb.append('=');
            escape(sb, parts.get(i + 1));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void escape(StringBuilder sb, byte[] utf8) {
        for (byte b : utf8) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '*') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
    }

    /** Reads the library's "fields" form body back, in order. */
    static Map<String, String> decode(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        try {
            for (String pair : body.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                out.put(URLDecoder.decode(name, "UTF-8"), URLDecoder.decode(value, "UTF-8"));
            }
        } catch (UnsupportedEncodingException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
