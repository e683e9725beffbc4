package io.cmpay;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bulk-parameter carrier of the C ABI: a UTF-8 form body
 * "name=value&amp;name=value", percent-encoded. Plain form encoding only;
 * what the fields mean is the library's business.
 */
final class Form {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Form() {
    }

    static byte[] encode(Map<String, String> params) {
        if (params == null) {
            throw new NullPointerException("params");
        }
        StringBuilder sb = new StringBuilder(256);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey() == null) {
                throw CmpayLibrary.input(Status.INVALID_ARGUMENT, "a parameter name is null");
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            escape(sb, e.getKey(), "parameter name");
            sb.append('=');
            escape(sb, e.getValue() == null ? "" : e.getValue(), "parameter " + e.getKey());
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void escape(StringBuilder sb, String s, String what) {
        for (byte b : CmpayLibrary.utf8(s, what)) {
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
