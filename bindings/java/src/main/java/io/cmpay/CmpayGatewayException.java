package io.cmpay;

/** The gateway answered with a return code other than success ({@link #returnCode()}, e.g. RPM22201). */
public class CmpayGatewayException extends CmpayException {
    private static final long serialVersionUID = 1L;

    public CmpayGatewayException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
