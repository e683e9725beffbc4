package io.cmpay.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Throughput benchmark baseline (BENCHMARKS.md, bench/servers/bench_servers.py):
 * the notify endpoint written as the gateway's 2011 Java kit does it, natively:
 * split on &amp; and =, URLDecoder, the 19 OfflineNotify fields joined in order,
 * double HMAC-MD5 with javax.crypto.Mac (a Mac per request, as the kit's sign
 * helper does), and a constant-time compare (MessageDigest.isEqual) where the
 * kit used equals. No field checks, no charset handling: do not deploy this.
 * Settings: the system properties cmpay.signKey and cmpay.notifyFields (the
 * signed names in the signing order, comma-separated: bench/notification.json's,
 * which bench/servers/bench_servers.py and NotifyCost pass).
 */
public final class NotifyNativeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String[] FIELDS = System.getProperty("cmpay.notifyFields", "").split(",");
    // HMAC with an empty key is HMAC with a block of zero bytes (SecretKeySpec refuses an empty key).
    private static final byte[] INNER_KEY = new byte[64];

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean ok;
        try {
            ok = verify(readAll(req.getInputStream(), 65537), System.getProperty("cmpay.signKey"));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        byte[] answer = (ok ? "SUCCESS" : "FAIL").getBytes(StandardCharsets.US_ASCII);
        resp.setStatus(ok ? 200 : 400);
        resp.setContentType("text/plain");
        resp.setContentLength(answer.length);
        resp.getOutputStream().write(answer);
    }

    /** The kit's check of a body (public for NotifyCost, which times it outside the server). */
    public static boolean verify(byte[] raw, String signKey) throws IOException, GeneralSecurityException {
        return verified(raw, signKey) != null;
    }

    /**
     * The kit's check of a body: its fields (decoded) when the hmac holds, else null
     * (public for NotifyNativeFullServlet, which goes on to read them).
     */
    public static Map<String, String> verified(byte[] raw, String signKey) throws IOException, GeneralSecurityException {
        String body = new String(raw, StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), "UTF-8"));
        }
        StringBuilder source = new StringBuilder(256);
        for (String name : FIELDS) {
            String v = fields.get(name);
            source.append(v == null ? "" : v);
        }
        String inner = hmacMd5(INNER_KEY, source.toString().getBytes(StandardCharsets.UTF_8));
        String mac = hmacMd5(signKey.getBytes(StandardCharsets.UTF_8), inner.getBytes(StandardCharsets.US_ASCII));
        String sent = fields.get("hmac");
        return sent != null && MessageDigest.isEqual(mac.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.UTF_8))
                ? fields : null;
    }

    private static String hmacMd5(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(key, "HmacMD5"));
        byte[] d = mac.doFinal(data);
        StringBuilder hex = new StringBuilder(32);
        for (byte b : d) {
            hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        }
        return hex.toString();
    }

    static byte[] readAll(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
