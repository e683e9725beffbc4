package io.cmpay;

/** No answer in time. An order may still have been created: query it before creating it again. */
public class CmpayNetworkTimeoutException extends CmpayNetworkException {
    private static final long serialVersionUID = 1L;

    public CmpayNetworkTimeoutException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
