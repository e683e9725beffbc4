package io.cmpay;

/**
 * Base of every error of this package (unchecked): the library's status, its
 * C name, the text of cmpay_last_error(), and where given the gateway's
 * return code and the field at fault.
 *
 * <pre>
 * CmpayException
 * ├── CmpayInvalidInputException       INVALID_ARGUMENT, NULL_POINTER, INVALID_UTF8, BUFFER_TOO_SMALL
 * │   ├── CmpayFieldException          FIELD_INVALID  (field(), returnCode() e.g. MCG01033)
 * │   ├── CmpayInvalidKeyException     KEY
 * │   └── CmpayForgeableSourceException FORGEABLE_SOURCE (signing refused)
 * ├── CmpaySignatureException          SIGNATURE_MISMATCH
 * ├── CmpayParseException              PARSE
 * ├── CmpayGatewayException            GATEWAY        (returnCode() e.g. RPM22201)
 * ├── CmpayNetworkException            TRANSPORT
 * │   ├── CmpayNetworkTimeoutException TIMEOUT
 * │   └── CmpayTlsException            TLS
 * ├── CmpayAmbiguousException          AMBIGUOUS      (a notification that reads as another order, amount, payNo...)
 * ├── CmpayNotConfirmedException       NOT_CONFIRMED  (the gateway's answer does not confirm the notification)
 * ├── CmpayNotFoundException           NOT_FOUND
 * ├── CmpayInternalException           PANIC, and any status this version does not know
 * └── CmpayLibraryNotFoundException    libcmpay could not be loaded
 * </pre>
 *
 * <p>Top-level classes whose names carry the Cmpay prefix, because the JDK has
 * its own ParseException, SignatureException, InvalidKeyException and
 * TimeoutException. The four bindings share the names' stems (Python
 * NetworkTimeoutError, PHP NetworkTimeoutException, .NET
 * CmpayNetworkTimeoutException). A null argument is a NullPointerException
 * naming the parameter.
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

    /** The exception for a status (never OK). */
    static CmpayException of(int c, String n, String m, String rc, String f) {
        switch (Status.of(c)) {
            case INVALID_ARGUMENT:
            case NULL_POINTER:
            case INVALID_UTF8:
            case BUFFER_TOO_SMALL:
                return new CmpayInvalidInputException(c, n, m, rc, f);
            case FIELD_INVALID:
                return new CmpayFieldException(c, n, m, rc, f);
            case KEY:
                return new CmpayInvalidKeyException(c, n, m, rc, f);
            case SIGNATURE_MISMATCH:
                return new CmpaySignatureException(c, n, m, rc, f);
            case PARSE:
                return new CmpayParseException(c, n, m, rc, f);
            case GATEWAY:
                return new CmpayGatewayException(c, n, m, rc, f);
            case TRANSPORT:
                return new CmpayNetworkException(c, n, m, rc, f);
            case TIMEOUT:
                return new CmpayNetworkTimeoutException(c, n, m, rc, f);
            case TLS:
                return new CmpayTlsException(c, n, m, rc, f);
            case NOT_FOUND:
                return new CmpayNotFoundException(c, n, m, rc, f);
            case AMBIGUOUS:
                return new CmpayAmbiguousException(c, n, m, rc, f);
            case NOT_CONFIRMED:
                return new CmpayNotConfirmedException(c, n, m, rc, f);
            case FORGEABLE_SOURCE:
                return new CmpayForgeableSourceException(c, n, m, rc, f);
            case PANIC:
            default:
                return new CmpayInternalException(c, n, m, rc, f);
        }
    }
}
