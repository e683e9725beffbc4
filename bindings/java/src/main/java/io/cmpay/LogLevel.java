package io.cmpay;

/** The level of a log record (cmpay_log_level): ERROR is the most severe. */
public enum LogLevel {
    /** A request or notification failed (timeout, TLS, transport, an answer refused). */
    ERROR(1),
    /** A gateway error, a retry, a refused notification. */
    WARN(2),
    /** Every exchange: request sent, answer received, notification verified. */
    INFO(3),
    /** The bodies sent and received, their hmac redacted. */
    DEBUG(4);

    final int code;

    LogLevel(int code) {
        this.code = code;
    }

    static LogLevel of(int code) {
        for (LogLevel l : values()) {
            if (l.code == code) {
                return l;
            }
        }
        return ERROR;
    }
}
