package io.cmpay;

/** A field fails its rule: {@link #field()} names it, {@link #returnCode()} is the code the gateway would answer with (MCG01033...) where it has one. */
public class CmpayFieldException extends CmpayInvalidInputException {
    private static final long serialVersionUID = 1L;

    public CmpayFieldException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
