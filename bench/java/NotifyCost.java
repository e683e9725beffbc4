import io.cmpay.CmpayLibrary;
import io.cmpay.Merchant;
import io.cmpay.Notification;
import io.cmpay.bench.Fixture;
import io.cmpay.bench.NotifyLibServlet;
import io.cmpay.bench.NotifyNativeFullServlet;
import io.cmpay.bench.NotifyNativeServlet;
import io.cmpay.examples.NotifyEndpoint;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a notify request's time goes in Java, outside the server: the
 * example's path through the binding (NotifyEndpoint.handle with the
 * benchmark servlet's no-op store), its steps one by one, and the 2011 kit's native check
 * (NotifyNativeServlet.verify) and the example's path done natively
 * (NotifyNativeFullServlet.handle), over the benchmark's signed bodies. The ops
 * take turns for several rounds; the medians are printed, of the wall clock
 * and of the thread's CPU time (steadier on a busy machine, but blind to work
 * the call leaves to other threads, such as JNA's cleaner freeing the memory
 * of a ByReference). Usage (from
 * bindings/java, after ./build.sh):
 *   java -cp build/classes:build/example-classes:build/javax-classes:build/bench-classes:/usr/share/java/jna.jar:/usr/share/java/servlet-api.jar \
 *     NotifyCost LIBCMPAY BODIES_FILE FIXTURE [iterations [OP]]
 * BODIES_FILE: one OfflineNotify body a line (bench/servers/bench_servers.py bodies()).
 * FIXTURE: bench/notification.json (the merchant, the key the bodies are signed
 * with, and the signing order the native check joins the fields in).
 * OP: run only the op with this index (0 is the first line of the table), e.g. 3, the
 * example's path, under a profiler: add
 *   -XX:StartFlightRecording=filename=notify.jfr,settings=profile
 * and count the top frames of the jdk.ExecutionSample and jdk.NativeMethodSample events.
 */
public final class NotifyCost {
    interface Op {
        void run(byte[] body) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        CmpayLibrary.load(args[0]);
        List<byte[]> bodies = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(args[1]), StandardCharsets.US_ASCII)) {
            if (!line.isEmpty()) {
                bodies.add(line.getBytes(StandardCharsets.US_ASCII));
            }
        }
        Fixture fixture = Fixture.load(Paths.get(args[2]));
        System.setProperty("cmpay.notifyFields", fixture.names()); // before NotifyNativeServlet loads
        String merchantId = fixture.merchantId;
        String key = fixture.md5Key;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 100000;
        int only = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        System.out.println("runtime: Java " + System.getProperty("java.version") + ", libcmpay " + CmpayLibrary.version()
                + " (" + CmpayLibrary.loadedFrom() + "), " + n + " iterations a round, " + bodies.size() + " bodies");
        try (Merchant m = Merchant.md5(merchantId, key); Notification open = m.parseNotification(bodies.get(0))) {
            for (String other : open.otherOrderIds()) {
                open.ruleOut(other); // none is the benchmark's order (as in NotifyCost.cs): checkOrder below may run
            }
            NotifyEndpoint.ShopOrders store = new NotifyLibServlet.NoStore();
            NotifyEndpoint endpoint = new NotifyEndpoint(m, merchantId, NotifyLibServlet.client(m), store);
            String[] names = {
                "one crossing: CmpayLibrary.version()",
                "parseNotification + close",
                "parseNotification + ack + close (as the PHP and Python benchmark endpoints)",
                "example path: NotifyEndpoint.handle (parse, ids, ruleOut, isAmbiguous, checkOrder, reads, ack, close)",
                "  n.field(\"orderId\") (a String out; orderId() keeps it after the first read)",
                "  n.amount() (a number out)",
                "  n.isPaid()",
                "  n.checkOrder(merchantId, orderId, amount) (2 Strings in)",
                "  n.ack()",
                "native: the kit's split, URLDecoder, join, Mac twice, isEqual",
                "native: the example's path (the kit's check, then the same reads and order check)",
            };
            Op[] ops = {
                b -> CmpayLibrary.version(),
                b -> m.parseNotification(b).close(),
                b -> {
                    try (Notification x = m.parseNotification(b)) {
                        if (!"SUCCESS".equals(x.ack())) {
                            throw new AssertionError();
                        }
                    }
                },
                b -> {
                    if (endpoint.handle(b).status != 200) {
                        throw new AssertionError();
                    }
                },
                b -> open.field("orderId"),
                b -> open.amount(),
                b -> open.isPaid(),
                b -> open.checkOrder(merchantId, "BENCH00000000", 12800L),
                b -> open.ack(),
                b -> {
                    if (!NotifyNativeServlet.verify(b, key)) {
                        throw new AssertionError();
                    }
                },
                b -> {
                    if (NotifyNativeFullServlet.handle(b, merchantId, key, store) != 200) {
                        throw new AssertionError();
                    }
                },
            };
            int rounds = 5;
            ThreadMXBean tm = ManagementFactory.getThreadMXBean();
            double[][] us = new double[ops.length][rounds];
            double[][] cpu = new double[ops.length][rounds];
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up (JIT)
                for (int i = 0; i < ops.length; i++) {
                    if (only >= 0 && i != only) {
                        continue;
                    }
                    long c0 = tm.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (int k = 0; k < n; k++) {
                        ops[i].run(bodies.get(k % bodies.size()));
                    }
                    if (r > 0) {
                        us[i][r - 1] = (System.nanoTime() - t0) / 1000.0 / n;
                        cpu[i][r - 1] = (tm.getCurrentThreadCpuTime() - c0) / 1000.0 / n;
                    }
                }
            }
            System.out.println(String.format("%-95s %10s %10s", "per operation", "wall", "CPU"));
            for (int i = 0; i < ops.length; i++) {
                if (only >= 0 && i != only) {
                    continue;
                }
                Arrays.sort(us[i]);
                Arrays.sort(cpu[i]);
                System.out.println(String.format("%-95s %7.2f us %7.2f us", names[i], us[i][rounds / 2], cpu[i][rounds / 2]));
            }
        }
    }
}
