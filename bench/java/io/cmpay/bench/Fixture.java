package io.cmpay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/notification.json, the notification every benchmark parses: the
 * merchant, its MD5 key, the 19 signed fields in the signing order and the
 * exact body. Read with a small JSON reader (strings, arrays, objects: all the
 * file holds), the JDK having none.
 */
public final class Fixture {
    public final String merchantId;
    public final String md5Key;
    /** The signed fields, names and values, in the signing order. */
    public final Map<String, String> fields;
    public final String body;

    private Fixture(String merchantId, String md5Key, Map<String, String> fields, String body) {
        this.merchantId = merchantId;
        this.md5Key = md5Key;
        this.fields = fields;
        this.body = body;
    }

    @SuppressWarnings("unchecked")
    public static Fixture load(Path file) throws IOException {
        Map<String, Object> v = (Map<String, Object>) new Reader(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).value();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Object pair : (List<Object>) v.get("fields")) {
            List<Object> p = (List<Object>) pair;
            fields.put((String) p.get(0), (String) p.get(1));
        }
        return new Fixture((String) v.get("merchant_id"), (String) v.get("md5_key"), fields, (String) v.get("body"));
    }

    /** The signed names in the signing order, comma-separated (the system property cmpay.notifyFields). */
    public String names() {
        return String.join(",", fields.keySet());
    }

    /** The signature source: the values joined in the signing order. */
    public String source() {
        return String.join("", fields.values());
    }

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '"') {
                return string();
            }
            boolean object = c == '{';
            if (!object && c != '[') {
                throw new IllegalArgumentException("bench/notification.json: unexpected '" + c + "' at " + i);
            }
            i++;
            Map<String, Object> map = new LinkedHashMap<>();
            List<Object> list = new ArrayList<>();
            skip();
            if (s.charAt(i) == (object ? '}' : ']')) {
                i++;
                return object ? map : list;
            }
            while (true) {
                skip();
                if (object) {
                    String k = string();
                    skip();
                    expect(':');
                    map.put(k, value());
                } else {
                    list.add(value());
                }
                skip();
                char end = s.charAt(i++);
                if (end == (object ? '}' : ']')) {
                    return object ? map : list;
                }
                if (end != ',') {
                    throw new IllegalArgumentException("bench/notification.json: unexpected '" + end + "' at " + (i - 1));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'u':
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    default:
                        sb.append(e); // \" \\ \/
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("bench/notification.json: expected '" + c + "' at " + i);
            }
            i++;
        }

        private void skip() {
            while (Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
