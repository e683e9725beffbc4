package io.cmpay;

/** The message kinds the C ABI names by string. */
public final class MessageKind {
    public static final String ORDER_REQUEST = "order-request";
    public static final String ORDER_RESPONSE = "order-response";
    public static final String NOTIFY = "notify";
    public static final String QUERY_REQUEST = "query-request";
    public static final String QUERY_RESPONSE = "query-response";
    public static final String REFUND_REQUEST = "refund-request";
    public static final String REFUND_RESPONSE = "refund-response";

    private MessageKind() {
    }
}
