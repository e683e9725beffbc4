package io.cmpay;

/**
 * Base of every error of this package (unchecked): the library's status, its
 * C name, the text of cmpay_last_error(), and where given the gateway's
 * return code and the field at fault.
 *
 * <pre>
 * CmpayException
 * ├── InvalidInputException     INVALID_ARGUMENT, NULL_POINTER, INVALID_UTF8
 * │   ├── FieldException        FIELD_INVALID  (field(), returnCode() e.g. MCG01033)
 * │   └── KeyException          KEY
 * ├── SignatureException        SIGNATURE_MISMATCH
 * ├── ParseException            PARSE
 * ├── GatewayException          GATEWAY        (returnCode() e.g. RPM22201)
 * ├── NetworkException          TRANSPORT
 * │   ├── TimeoutException      TIMEOUT
 * │   └── TlsException          TLS
 * ├── NotFoundException         NOT_FOUND
 * ├── InternalException         PANIC, and any status this version does not know
 * └── LibraryNotFoundException  libcmpay could not be loaded
 * </pre>
 */
public class CmpayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int code;
    private final String statusName;
    private final String returnCode;
    private final String field;

    public CmpayException(int code, String statusName, String message, String returnCode, String field) {
        super(message);
        this.code = code;
        this.status = Status.of(code);
        this.statusName = statusName == null ? "" : statusName;
        this.returnCode = returnCode == null || returnCode.isEmpty() ? null : returnCode;
        this.field = field == null || field.isEmpty() ? null : field;
    }

    public Status status() {
        return status;
    }

    /** The numeric cmpay_status (-1 for errors found by the wrapper itself). */
    public int code() {
        return code;
    }

    /** e.g. "CMPAY_GATEWAY". */
    public String statusName() {
        return statusName;
    }

    /** The gateway's return code (gateway errors, and field errors where the gateway has one), else null. */
    public String returnCode() {
        return returnCode;
    }

    /** The field at fault (field errors), else null. */
    public String field() {
        return field;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " (" + statusName + (returnCode != null ? " " + returnCode : "")
                + (field != null ? " field " + field : "") + "): " + getMessage();
    }

    public static class InvalidInputException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public InvalidInputException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class FieldException extends InvalidInputException {
        private static final long serialVersionUID = 1L;

        public FieldException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class KeyException extends InvalidInputException {
        private static final long serialVersionUID = 1L;

        public KeyException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    /** A message's hmac does not match its contents: never process it, never answer SUCCESS. */
    public static class SignatureException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public SignatureException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class ParseException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public ParseException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    /** The gateway answered with a return code other than success ({@link #returnCode()}). */
    public static class GatewayException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public GatewayException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    /** DNS, connect, reset, or an HTTP status without a usable body. */
    public static class NetworkException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public NetworkException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    /** No answer in time. An order may still have been created: query it before creating it again. */
    public static class TimeoutException extends NetworkException {
        private static final long serialVersionUID = 1L;

        public TimeoutException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class TlsException extends NetworkException {
        private static final long serialVersionUID = 1L;

        public TlsException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class NotFoundException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public NotFoundException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class InternalException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public InternalException(int c, String n, String m, String rc, String f) {
            super(c, n, m, rc, f);
        }
    }

    public static class LibraryNotFoundException extends CmpayException {
        private static final long serialVersionUID = 1L;

        public LibraryNotFoundException(String message, Throwable cause) {
            super(-1, "", message, null, null);
            initCause(cause);
        }
    }

    /** The exception for a status (never OK). */
    static CmpayException of(int c, String n, String m, String rc, String f) {
        switch (Status.of(c)) {
            case INVALID_ARGUMENT:
            case NULL_POINTER:
            case INVALID_UTF8:
                return new InvalidInputException(c, n, m, rc, f);
            case FIELD_INVALID:
                return new FieldException(c, n, m, rc, f);
            case KEY:
                return new KeyException(c, n, m, rc, f);
            case SIGNATURE_MISMATCH:
                return new SignatureException(c, n, m, rc, f);
            case PARSE:
                return new ParseException(c, n, m, rc, f);
            case GATEWAY:
                return new GatewayException(c, n, m, rc, f);
            case TRANSPORT:
                return new NetworkException(c, n, m, rc, f);
            case TIMEOUT:
                return new TimeoutException(c, n, m, rc, f);
            case TLS:
                return new TlsException(c, n, m, rc, f);
            case NOT_FOUND:
                return new NotFoundException(c, n, m, rc, f);
            default:
                return new InternalException(c, n, m, rc, f);
        }
    }
}
