package io.cmpay;

/**
 * Where a client's log goes ({@link Client.Config#log(LogSink, LogLevel)}): called on the thread
 * making each call, from several threads at once. {@code event} is a stable name
 * ("request.sent", "answer.received", "answer.refused", "retry", "timeout", "tls.failed",
 * "transport.failed", "notify.verified", "notify.refused", and at DEBUG "request.body",
 * "answer.body", "notify.body"); {@code message} is one line. Never in a record: the signKey, a
 * private key, any hmac. An exception thrown here loses that record only.
 */
@FunctionalInterface
public interface LogSink {
    /** One record. */
    void log(LogLevel level, String event, String message);

    /**
     * The logger named "cmpay" of SLF4J when SLF4J (with a provider) is on the classpath, else of
     * java.util.logging; no compile-time dependency on SLF4J.
     */
    static LogSink standard() {
        return StandardLog.create();
    }
}
