package io.cmpay;

import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link LogSink#standard()}: SLF4J's logger "cmpay" found by reflection (so SLF4J stays
 * optional), else java.util.logging's. Each record's message is "event message".
 */
abstract class StandardLog implements LogSink {
    static final String NAME = "cmpay";

    /** The most verbose level the underlying logger takes now. */
    abstract LogLevel enabledLevel();

    static StandardLog create() {
        StandardLog slf4j = Slf4j.find();
        return slf4j != null ? slf4j : new Jul(Logger.getLogger(NAME));
    }

    static final class Jul extends StandardLog {
        private final Logger logger;

        Jul(Logger logger) {
            this.logger = logger;
        }

        private static Level level(LogLevel l) {
            switch (l) {
                case ERROR:
                    return Level.SEVERE;
                case WARN:
                    return Level.WARNING;
                case INFO:
                    return Level.INFO;
                default:
                    return Level.FINE;
            }
        }

        @Override
        public void log(LogLevel level, String event, String message) {
            logger.logp(level(level), "io.cmpay.Client", event, event + " " + message);
        }

        @Override
        LogLevel enabledLevel() {
            for (LogLevel l : new LogLevel[] {LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN}) {
                if (logger.isLoggable(level(l))) {
                    return l;
                }
            }
            return LogLevel.ERROR;
        }
    }

    static final class Slf4j extends StandardLog {
        private final Object logger;
        private final Method[] log = new Method[5];
        private final Method[] enabled = new Method[5];

        private Slf4j(Object logger, Class<?> type) throws ReflectiveOperationException {
            this.logger = logger;
            String[] names = {null, "error", "warn", "info", "debug"};
            for (int i = 1; i < names.length; i++) {
                log[i] = type.getMethod(names[i], String.class);
                String n = names[i];
                enabled[i] = type.getMethod("is" + Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Enabled");
            }
        }

        /** SLF4J's logger, or null when SLF4J or a provider for it is missing. */
        static Slf4j find() {
            try {
                ClassLoader loader = StandardLog.class.getClassLoader();
                Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
                Class<?> type = Class.forName("org.slf4j.Logger", true, loader);
                Object logger = factory.getMethod("getLogger", String.class).invoke(null, NAME);
                // Without a provider SLF4J logs nowhere (its NOP logger): java.util.logging then.
                if (logger == null || logger.getClass().getName().startsWith("org.slf4j.helpers.NOP")) {
                    return null;
                }
                return new Slf4j(logger, type);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        @Override
        public void log(LogLevel level, String event, String message) {
            try {
                log[level.code].invoke(logger, event + " " + message);
            } catch (ReflectiveOperationException e) {
                // The record is lost; the payment is not.
            }
        }

        @Override
        LogLevel enabledLevel() {
            for (LogLevel l : new LogLevel[] {LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN}) {
                try {
                    if (Boolean.TRUE.equals(enabled[l.code].invoke(logger))) {
                        return l;
                    }
                } catch (ReflectiveOperationException e) {
                    return LogLevel.ERROR;
                }
            }
            return LogLevel.ERROR;
        }
    }
}
