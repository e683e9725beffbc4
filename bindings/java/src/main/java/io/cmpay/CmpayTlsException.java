package io.cmpay;

/** The TLS handshake or the certificate's verification failed. */
public class CmpayTlsException extends CmpayNetworkException {
    private static final long serialVersionUID = 1L;

    public CmpayTlsException(int code, String statusName, String message, String returnCode, String field) {
        super(code, statusName, message, returnCode, field);
    }
}
