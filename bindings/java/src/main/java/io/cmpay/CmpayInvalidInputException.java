package io.cmpay;

/** A caller-supplied value is wrong: an unknown kind or field, text that would be altered crossing to C (a NUL, a lone surrogate), a status INVALID_ARGUMENT, NULL_POINTER or INVALID_UTF8. */
public class CmpayInvalidInputException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayInvalidInputException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
