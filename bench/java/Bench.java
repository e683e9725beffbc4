import io.cmpay.CmpayLibrary;
import io.cmpay.Merchant;
import io.cmpay.MessageKind;
import io.cmpay.bench.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-operation cost through the binding next to the same computation done
 * natively in Java; the notification is bench/notification.json's. Usage (from
 * bindings/java, after ./build.sh, which compiles bench/java into build/bench-classes):
 *   java -cp build/classes:build/bench-classes:/usr/share/java/jna.jar Bench /path/to/libcmpay.so /path/to/repo [iterations]
 * The first argument is the explicit library path (CmpayLibrary.load).
 */
public final class Bench {
    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        CmpayLibrary.load(args[0]);
        Path repo = Paths.get(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        Fixture fixture = Fixture.load(repo.resolve("bench/notification.json"));
        String merchantId = fixture.merchantId;
        String key = fixture.md5Key;
        String notifyBody = fixture.body;
        String notifySource = fixture.source();
        String notifyHmac = notifyBody.substring(notifyBody.lastIndexOf("&hmac=") + 6);
        Map<String, String> order = new LinkedHashMap<>();
        order.put("characterSet", "02");
        order.put("callbackUrl", "https://shop.example.com/cmpay/return");
        order.put("notifyUrl", "https://shop.example.com/cmpay/notify");
        order.put("ipAddress", "203.0.113.7");
        order.put("requestId", "REQ20261125000001");
        order.put("amount", "12800");
        order.put("orderDate", "20261125");
        order.put("orderId", "ORD20261125000001");
        order.put("merAcDate", "20261125");
        order.put("period", "30");
        order.put("periodUnit", "00");
        order.put("merchantAbbr", "和包商城");
        order.put("productName", "测试商品 描述");
        order.put("reserved1", "自定义1");
        order.put("reserved2", "自定义2");

        System.out.println("runtime: Java " + System.getProperty("java.version") + ", libcmpay " + CmpayLibrary.version()
                + " (" + CmpayLibrary.loadedFrom() + "), " + n + " iterations");
        try (Merchant m = Merchant.md5(merchantId, key)) {
            String source;
            try (Merchant.SignedRequest s = m.signOrder(order)) {
                source = s.source();
            }
            // HMAC-MD5 with an empty key is HMAC-MD5 with 64 zero bytes (SecretKeySpec refuses an empty key).
            Mac inner = Mac.getInstance("HmacMD5");
            inner.init(new SecretKeySpec(new byte[64], "HmacMD5"));
            Mac outer = Mac.getInstance("HmacMD5");
            outer.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            java.util.function.Function<String, String> md5Sign = src -> hex(outer.doFinal(
                    hex(inner.doFinal(src.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII)));
            if (!md5Sign.apply(notifySource).equals(notifyHmac)) {
                throw new AssertionError("baseline does not reproduce the vector");
            }
            run("MD5 order sign, binding (signOrder + body + close)", n, () -> {
                try (Merchant.SignedRequest s = m.signOrder(order)) {
                    s.body();
                }
            });
            run("MD5 order hmac, binding (Merchant.hmac)", n, () -> m.hmac(MessageKind.ORDER_REQUEST, order));
            run("MD5 order hmac, native javax.crypto.Mac HmacMD5 twice", n, () -> md5Sign.apply(source));
            byte[] body = notifyBody.getBytes(StandardCharsets.US_ASCII);
            run("MD5 notify verify, binding (parseNotification + close)", n, () -> m.parseNotification(body).close());
            run("MD5 notify verify, native Mac twice + compare", n, () -> {
                if (!md5Sign.apply(notifySource).equals(notifyHmac)) {
                    throw new AssertionError();
                }
            });
        }
        int rn = Math.max(200, n / 20);
        byte[] pem = Files.readAllBytes(repo.resolve("tests/data/test-keys/merchant_private_pkcs8.pem"));
        try (Merchant m = Merchant.rsa(merchantId, pem, Files.readAllBytes(repo.resolve("tests/data/test-keys/platform_public.pem")))) {
            String source;
            try (Merchant.SignedRequest s = m.signOrder(order)) {
                source = s.source();
            }
            run("RSA-2048 order sign, binding (signOrder + body + close)", rn, () -> {
                try (Merchant.SignedRequest s = m.signOrder(order)) {
                    s.body();
                }
            });
            String b64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            byte[] src = source.getBytes(StandardCharsets.UTF_8);
            run("RSA-2048 sign, native java.security.Signature SHA1withRSA", rn, () -> {
                Signature sig = Signature.getInstance("SHA1withRSA");
                sig.initSign(pk);
                sig.update(src);
                hex(sig.sign());
            });
        }
    }

    static void run(String name, int n, Op op) throws Exception {
        for (int i = 0; i < Math.max(n / 5, 200); i++) {
            op.run(); // warm-up (JIT)
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        double us = (System.nanoTime() - t0) / 1000.0 / n;
        System.out.println(String.format("%-66s %10.2f us/op %10.0f op/s", name, us, 1e6 / us));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }
}
