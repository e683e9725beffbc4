#!/usr/bin/env python3
"""Order sign and notification verify, per operation: through the binding
(libcmpay via ctypes) next to the same computation written natively in
Python (hmac twice), as the 2011 demo kits do it.

    CMPAY_LIB=target/release/libcmpay.so python3 bench/python/bench_sign_verify.py

The native versions are here for comparison only; they are not part of the
package (which has no protocol logic of its own).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import timeit
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))

import cmpay  # noqa: E402

V = json.loads((ROOT / "tests" / "data" / "cmpay-vectors.json").read_text(encoding="utf-8"))
FIXTURE = json.loads((ROOT / "bench" / "notification.json").read_text(encoding="utf-8"))
KEY = FIXTURE["md5_key"]
ORDER = next(v for v in V["vectors"] if v["name"] == "order-request-md5-charset02")
ORDER_FIELDS = list(ORDER["params"])  # the vector's params are in table order
NOTIFY_FIELDS = [name for name, _ in FIXTURE["fields"]]  # the signing order
KEY_BYTES = KEY.encode()


def md5_hmac(source: str) -> str:
    inner = hmac.new(b"", source.encode("utf-8"), hashlib.md5).hexdigest()
    return hmac.new(KEY_BYTES, inner.encode("ascii"), hashlib.md5).hexdigest()


def native_sign_hmac(params: dict) -> str:
    return md5_hmac("".join(params.get(f, "") for f in ORDER_FIELDS))


def native_sign_with_body(params: dict) -> str:
    mac = native_sign_hmac(params)
    return "&".join("%s=%s" % (f, quote_plus(params.get(f, ""), encoding="utf-8")) for f in ORDER_FIELDS) + "&hmac=" + mac


def native_verify(body: str) -> bool:
    fields = dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True))
    return hmac.compare_digest(md5_hmac("".join(fields.get(f, "") for f in NOTIFY_FIELDS)), fields["hmac"])


def per_op_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6


def main() -> None:
    number = int(os.environ.get("BENCH_N", "20000"))
    m = cmpay.Merchant.md5(FIXTURE["merchant_id"], KEY)
    params = ORDER["params"]
    body = FIXTURE["body"]
    body_bytes = body.encode()
    assert native_sign_hmac(params) == ORDER["hmac"] == m.hmac(cmpay.ORDER_REQUEST, params)
    assert native_verify(body)
    with m.parse_notification(body_bytes) as n:
        assert n.ack() == "SUCCESS"

    def binding_sign() -> str:
        with m.sign_order(params) as s:
            return s.body

    def binding_hmac() -> str:
        return m.hmac(cmpay.ORDER_REQUEST, params)

    def binding_verify() -> None:
        m.parse_notification(body_bytes).close()

    def binding_verify_only() -> None:
        m.verify(cmpay.NOTIFY, body_bytes)

    rows = [
        ("order sign: binding sign_order()+body (validate, GBK/UTF-8 body, hmac)", binding_sign),
        ("order sign: binding hmac() only", binding_hmac),
        ("order sign: native hmac x2 (source + 2 HMAC-MD5)", lambda: native_sign_hmac(params)),
        ("order sign: native hmac x2 + form body", lambda: native_sign_with_body(params)),
        ("notify verify: binding parse_notification()", binding_verify),
        ("notify verify: binding verify() only", binding_verify_only),
        ("notify verify: native parse_qsl + hmac x2 + compare_digest", lambda: native_verify(body)),
    ]
    print("python %s, libcmpay %s from %s, %d ops x best of 7" % (sys.version.split()[0], cmpay.version(), cmpay.loaded_path(), number))
    for name, fn in rows:
        print("%-72s %8.2f us/op" % (name, per_op_us(fn, number)))


if __name__ == "__main__":
    main()
