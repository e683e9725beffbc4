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
