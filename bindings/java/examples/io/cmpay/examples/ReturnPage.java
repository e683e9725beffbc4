package io.cmpay.examples;

import io.cmpay.Money;

/**
 * The shopper's return page (the callbackUrl) as HTML, for what
 * {@link NotifyEndpoint#record} made of the PageNotify: the payment (order,
 * amount in yuan, payNo, status), or a failure page. A notification that did
 * not verify is never shown as paid. In a shop this is its template (a JSP,
 * Thymeleaf, ...); here a string, every value escaped.
 */
public final class ReturnPage {
    public static final String CONTENT_TYPE = "text/html; charset=UTF-8";

    private ReturnPage() {
    }

    /** The page for {@code r}: with its status, the one to answer. */
    public static String html(NotifyEndpoint.Recorded r) {
        String title;
        String body;
        if (r.status == 200) {
            title = r.paid ? "支付成功 Payment received" : "支付未成功 Payment failed";
            body = "<dl><dt>订单号 Order</dt><dd id=\"order-id\">" + escape(r.orderId) + "</dd>"
                    + "<dt>金额 Amount</dt><dd id=\"amount\">¥" + escape(Money.yuan(r.amountFen)) + "</dd>" // the library's exact fen-to-yuan
                    + "<dt>支付流水号 Payment number</dt><dd id=\"pay-no\">" + escape(r.payNo) + "</dd>"
                    + "<dt>状态 Status</dt><dd id=\"status\">" + (r.paid ? "paid" : "failed") + "</dd></dl>";
        } else if (r.status == 404) {
            title = "订单不存在 Unknown order";
            body = "<p>The payment notification is about an order this shop does not know.</p>";
        } else if (r.status == 409) {
            title = "订单已支付 Order already paid";
            body = "<p>This order was already paid by another payment; the shop will look into it.</p>";
        } else if (r.status >= 500) { // the shop's database, or the gateway's confirmation, failed just now
            title = "暂时无法确认支付 Payment not confirmed yet";
            body = "<p>The payment could not be recorded just now; please reload this page later.</p>";
        } else {
            title = "无法确认支付 Payment not confirmed";
            body = "<p>The payment notification could not be verified, or the gateway did not confirm it.</p>";
        }
        return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"icon\" href=\"data:,\">" // no icon, so the browser asks for none: link the shop's own
                + "<title>" + escape(title) + "</title></head><body><main><h1>" + escape(title) + "</h1>\n" + body
                + "\n</main></body></html>\n";
    }

    /** Text for HTML content and attribute values: & < > " ' escaped (signed fields too). */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
