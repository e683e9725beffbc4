package io.cmpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Test support: paths, a small JSON reader for the shared vectors, the sandbox, plain HTTP. */
final class Support {
    static final String MERCHANT_ID = "888009941120001";

    private Support() {
    }

    static Path repo() {
        String env = System.getenv("CMPAY_REPO");
        if (env != null && !env.isEmpty()) {
            return Paths.get(env);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tests/data/cmpay-vectors.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("set CMPAY_REPO to the repository");
    }

    static byte[] key(String name) {
        try {
            return Files.readAllBytes(repo().resolve("tests/data/test-keys").resolve(name));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    // --- vectors ---

    private static Map<String, Object> all;

    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> vectors() {
        if (all == null) {
            try {
                all = (Map<String, Object>) Json.parse(new String(Files.readAllBytes(repo().resolve("tests/data/cmpay-vectors.json")), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }
        return all;
    }

    static String md5Key() {
        return (String) vectors().get("md5_key");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectorList() {
        return (List<Map<String, Object>>) vectors().get("vectors");
    }

    static Map<String, Object> vector(String name) {
        for (Map<String, Object> v : vectorList()) {
            if (name.equals(v.get("name"))) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vector " + name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> v, String key) {
        return (Map<String, Object>) v.get(key);
    }

    static String str(Map<String, Object> v, String key) {
        return (String) v.get(key);
    }

    /** An object's members as ordered string parameters. */
    static Map<String, String> params(Map<String, Object> o) {
        Map<String, String> p = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.entrySet()) {
            p.put(e.getKey(), String.valueOf(e.getValue()));
        }
        return p;
    }

    /** Just enough JSON: objects (ordered), arrays, strings, integers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            return new Json(s).value();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // ':'
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Long.parseLong(s.substring(start, i));
        }

        private String string() {
            i++; // '"'
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
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: sb.append(e);
                }
            }
        }
    }

    // --- HTTP ---

    static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    static HttpResponse<String> send(String method, String url, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new RuntimeException(method + " " + url + ": " + e, e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    // --- orders ---

    private static final AtomicInteger SEQ = new AtomicInteger();

    static String newOrderId(String prefix) {
        return prefix + System.currentTimeMillis() % 100000000 + "x" + SEQ.incrementAndGet();
    }

    static Map<String, String> orderParams(String orderId, long amount, String notifyUrl, String callbackUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("callbackUrl", callbackUrl);
        p.put("notifyUrl", notifyUrl);
        p.put("ipAddress", "127.0.0.1");
        p.put("amount", Long.toString(amount));
        p.put("orderDate", "20260301");
        p.put("orderId", orderId);
        p.put("merAcDate", "20260301");
        p.put("period", "30");
        p.put("periodUnit", "02");
        p.put("merchantAbbr", "测试商户");
        p.put("productName", "测试商品 和包");
        p.put("reserved1", "备注一 note");
        p.put("reserved2", "r2 & = %");
        return p;
    }

    /** `cmpay sandbox` on a free loopback port, its clock 60 times faster. */
    static final class Sandbox implements AutoCloseable {
        private Process process;
        private final StringBuffer output = new StringBuffer();
        String base;

        Sandbox() {
            String bin = System.getenv("CMPAY_BIN");
            File binary = bin != null && !bin.isEmpty() ? new File(bin) : repo().resolve("target/debug/cmpay").toFile();
            if (!binary.isFile()) {
                fail("no " + binary + ": build it with `cargo build` (or set CMPAY_BIN)");
            }
            for (int attempt = 0; attempt < 5 && base == null; attempt++) {
                int port = freePort();
                try {
                    process = new ProcessBuilder(binary.getPath(), "sandbox", "--port", Integer.toString(port), "--time-factor", "60")
                            .redirectErrorStream(true).start();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                CountDownLatch ready = new CountDownLatch(1);
                Process p = process;
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            output.append(line).append('\n');
                            if (line.contains("press Ctrl-C")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    ready.countDown();
                });
                reader.setDaemon(true);
                reader.start();
                try {
                    ready.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (process.isAlive() && output.toString().contains("press Ctrl-C")) {
                    base = "http://127.0.0.1:" + port;
                } else {
                    process.destroy();
                }
            }
            if (base == null) {
                fail("the sandbox did not start: " + output);
            }
        }

        String endpoint() {
            return base + "/ips/cmpayService";
        }

        /** POST /sandbox/faults, e.g. "fault=slow&amp;ms=2000&amp;type=order". */
        void fault(String form) {
            HttpResponse<String> r = send("POST", base + "/sandbox/faults", form);
            assertEquals(200, r.statusCode(), r.body());
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deliveries(String orderId) {
            return (List<Map<String, Object>>) Json.parse(send("GET", base + "/sandbox/deliveries?orderId=" + orderId, null).body());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
