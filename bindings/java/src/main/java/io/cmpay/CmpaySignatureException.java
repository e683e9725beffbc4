package io.cmpay;

/** A message's hmac does not match its contents: never process it, never answer SUCCESS. */
public class CmpaySignatureException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpaySignatureException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
