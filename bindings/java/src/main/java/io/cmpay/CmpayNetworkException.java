package io.cmpay;

/** DNS, connect, reset, or an HTTP status without a usable body. */
public class CmpayNetworkException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayNetworkException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
