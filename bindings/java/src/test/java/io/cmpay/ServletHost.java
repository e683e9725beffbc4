package io.cmpay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Serves an HttpServlet on the JDK's built-in HTTP server, for the tests (no
 * servlet container here). HttpServletRequest/Response are dynamic proxies
 * implementing what a notify servlet uses (method, query string, input
 * stream, content type; status, content type and length, output stream);
 * anything else throws UnsupportedOperationException, so the test notices.
 * The servlet's service() runs unchanged (doGet/doPost dispatch included).
 */
final class ServletHost implements AutoCloseable {
    private final HttpServer server;
    final String url;

    ServletHost(HttpServlet servlet, String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> serve(servlet, exchange));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void serve(HttpServlet servlet, HttpExchange ex) throws IOException {
        try {
            byte[] body = readAll(ex.getRequestBody());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int[] status = {200};
            HttpServletRequest req = proxy(HttpServletRequest.class, (p, m, a) -> {
                switch (m.getName()) {
                    case "getMethod": return ex.getRequestMethod();
                    case "getQueryString": return ex.getRequestURI().getRawQuery();
                    case "getRequestURI": return ex.getRequestURI().getRawPath();
                    case "getContentType": return ex.getRequestHeaders().getFirst("Content-Type");
                    case "getContentLength": return body.length;
                    case "getProtocol": return ex.getProtocol();
                    case "getHeader": return ex.getRequestHeaders().getFirst((String) a[0]);
                    case "getDateHeader": return -1L;
                    case "getInputStream": return new Input(new ByteArrayInputStream(body));
                    default: throw new UnsupportedOperationException("request." + m.getName());
                }
            });
            ServletOutputStream sos = new Output(out);
            HttpServletResponse resp = proxy(HttpServletResponse.class, (p, m, a) -> {
                switch (m.getName()) {
                    case "setStatus": status[0] = (Integer) a[0]; return null;
                    case "sendError": status[0] = (Integer) a[0]; return null;
                    case "setContentType": ex.getResponseHeaders().set("Content-Type", (String) a[0]); return null;
                    case "setContentLength": case "setContentLengthLong": case "setCharacterEncoding": return null;
                    case "setHeader": ex.getResponseHeaders().set((String) a[0], (String) a[1]); return null;
                    case "getOutputStream": return sos;
                    case "isCommitted": return false;
                    default: throw new UnsupportedOperationException("response." + m.getName());
                }
            });
            servlet.service(req, resp);
            byte[] b = out.toByteArray();
            ex.sendResponseHeaders(status[0], b.length == 0 ? -1 : b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        } catch (Exception e) {
            e.printStackTrace();
            ex.sendResponseHeaders(500, -1);
        } finally {
            ex.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static final class Input extends ServletInputStream {
        private final ByteArrayInputStream in;

        Input(ByteArrayInputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener l) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class Output extends ServletOutputStream {
        private final ByteArrayOutputStream out;

        Output(ByteArrayOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener l) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
