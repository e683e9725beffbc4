#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from the
shared test vectors (tests/data/cmpay-vectors.json) and test keys
(tests/data/test-keys/). Run from the repository root; the output is
committed, so this runs only when the vectors change."""

import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "fuzz", "corpus")


def put(target: str, data: bytes) -> None:
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def notification(order_id: str, paid: bool = True, page: bool = False, pay_no: str = "202612062345120000000042",
                 amount: int = 9900, bank: str = "", mobile: str = "", reserved1: str = "", reserved2: str = "") -> list:
    """A notification's 19 signed values in table order, as the sandbox sends them."""
    fee = amount * 6 // 1000
    return [
        "888009941120001", pay_no, "000000", "SUCCESS" if paid else "支付失败", "MD5",
        "PageNotify" if page else "OfflineNotify", "2.0.0", str(amount),
        "CNY_AMT=%d#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0" % amount if paid else "",
        bank, mobile, order_id, "20261206234512", "20261206", reserved1, reserved2,
        "SUCCESS" if paid else "FAILED", "20261206",
        "%d.%02d" % divmod(fee, 100) if fee % 100 else str(fee // 100),
    ]


def resplit_shapes() -> list:
    return [
        notification("1230", page=True, mobile="151****0263"),
        notification("1230", paid=False, bank="ICBC"),
        notification("202612062345128317", page=True, bank="CMB", mobile="138****8000", reserved2="note SUCCESS"),
        notification("SRV4182700351234", paid=False, reserved1="12345", reserved2="SUCCESS"),
        notification("B20261206234512", page=True, amount=100, reserved2="20261206234512"),
        notification("S1191400000020261206234512", pay_no="20261206234512"),
        notification("7", paid=False, pay_no="100000", amount=1),
    ]


def main() -> int:
    vectors = json.load(open(os.path.join(DATA, "cmpay-vectors.json"), encoding="utf-8"))["vectors"]
    for v in vectors:
        body = v.get("form_body") or v.get("body")
        if body:
            raw = body.encode("utf-8")
            put("form", raw)
            if v["kind"] == "notify":
                put("notify", raw)
            else:
                put("answers", raw)
        if v["kind"] == "notify" and "fields" in v:
            put("notify_signed", "\0".join(v["fields"].values()).encode("utf-8"))
        if "pay_url" in v:
            put("payurl", body.split("payUrl=", 1)[1].encode("utf-8"))
        if "params" in v:
            pairs = "".join(n + "\0" + val + "\0" for n, val in v["params"].items())
            put("bulk", pairs.encode("utf-8"))
            put("form", "&".join(n + "=" + val for n, val in v["params"].items()).encode("utf-8"))
    # Notifications of the shapes found ambiguous (docs/resplit.md) (orderIds that
    # are prefixes of others or end in a date-time, payNos ending in zeros,
    # shopper text ending in SUCCESS or digits), for notify_signed's
    # re-split oracle to start from.
    for values in resplit_shapes():
        put("notify_signed", "\0".join(values).encode("utf-8"))
    # Shapes protocol.md §5.3 and §8 describe that no vector holds.
    for token in ("sessionId <hi:=>1<hi:$$><hi:=>https://ipos.10086.cn/ips/FormTrans3",
                  "url<hi:=>http://ipos.10086.cn/wap/index.xhtml<hi:$$>method<hi:=>POST<hi:$$>sessionId<hi:=>9<hi:$$>MERC_PAY_TPY<hi:=>"):
        put("payurl", token.encode("utf-8"))
    put("bulk", b"orderId\0O1\0fee\0\0")
    keys = os.path.join(DATA, "test-keys")
    for name in sorted(os.listdir(keys)):
        put("keys", open(os.path.join(keys, name), "rb").read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
