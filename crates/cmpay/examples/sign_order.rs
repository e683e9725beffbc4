//! Builds and signs one DirectPayConfirm order with a made-up MD5 key, then
//! verifies a notification: the protocol core with no network.

use cmpay::{Merchant, MessageKind, Notification, Params};

fn main() -> cmpay::Result<()> {
    let key = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";
    let merchant = Merchant::md5("888009941120001", key)?;
    let mut order = Params::new();
    order
        .set("characterSet", "02")
        .set("callbackUrl", "https://shop.example.com/cmpay/return")
        .set("notifyUrl", "https://shop.example.com/cmpay/notify")
        .set("ipAddress", "203.0.113.7")
        .set("requestId", "REQ20261125000001")
        .set("amount", "12800")
        .set("orderDate", "20261125")
        .set("orderId", "ORD20261125000001")
        .set("merAcDate", "20261125")
        .set("period", "30")
        .set("periodUnit", "00")
        .set("productName", "测试商品");
    let signed = merchant.sign_request(MessageKind::OrderRequest, &order)?;
    println!("signature source: {}", signed.source);
    println!("hmac:             {}", signed.hmac);
    println!("POST body:        {}", signed.body);

    let notify = "merchantId=888009941120001&payNo=201911250005378468&returnCode=000000&message=SUCCESS&signType=MD5&type=OfflineNotify&version=2.0.0&amount=12800&amtItem=CNY_AMT%3D12000%23CMY_AMT%3D0%23RED_AMT%3D800%23VCH_AMT%3D0%23POT_CHG_AMT%3D0&bankAbbr=ICBC&mobile=138****8000&orderId=ORD20261125000001&payDate=20261125103055&accountDate=20261125&reserved1=%E8%87%AA%E5%AE%9A%E4%B9%891&reserved2=&status=SUCCESS&orderDate=20261125&fee=0.12&serverCert=&hmac=7a4dd88a8e1ce8bf44fb502f89e55d23";
    let n = Notification::parse(merchant.verifier(), notify.as_bytes())?;
    n.check_order("888009941120001", "ORD20261125000001", 12800)?;
    println!(
        "notification {} for {} verified: paid={} amount={} fen; answer {:?}",
        n.pay_no(),
        n.order_id(),
        n.is_paid(),
        n.amount()?,
        n.ack()
    );
    Ok(())
}
