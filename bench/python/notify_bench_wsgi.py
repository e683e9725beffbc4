"""Throughput benchmark (BENCHMARKS.md, bench/servers/bench_servers.py): the notify
endpoint as a WSGI application, the once-only store a no-op. /lib verifies
through libcmpay; /native is the same endpoint written as the 2011 kits do it
(split on & and =, unquote, the 19 fields joined in order, double HMAC-MD5
with hmac, constant-time compare), the order bench/notification.json's. Do not
deploy either: bindings/python/examples/notify_wsgi.py is the endpoint to deploy."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import urllib.parse
from typing import Any, Callable, Dict, Iterable, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

import cmpay  # noqa: E402

KEY = os.environ["CMPAY_SIGN_KEY"]
MERCHANT = cmpay.Merchant.md5(os.environ["CMPAY_MERCHANT_ID"], KEY)  # once per worker, as the example does
with open(os.path.join(HERE, "..", "notification.json"), encoding="utf-8") as _f:
    FIELDS = tuple(name for name, _ in json.load(_f)["fields"])  # the signing order, once per worker


def lib(body: bytes) -> bool:
    try:
        with MERCHANT.parse_notification(body) as n:
            return n.ack() == "SUCCESS"
    except cmpay.CmpayError:
        return False


def native(body: bytes) -> bool:
    fields = {}
    for pair in body.split(b"&"):
        k, _, v = pair.partition(b"=")
        fields[k.decode("latin-1")] = urllib.parse.unquote_to_bytes(v.replace(b"+", b" "))
    source = b"".join(fields.get(name, b"") for name in FIELDS)
    inner = hmac.new(b"", source, hashlib.md5).hexdigest().encode()
    mac = hmac.new(KEY.encode(), inner, hashlib.md5).hexdigest().encode()
    return hmac.compare_digest(mac, fields.get("hmac", b""))


ROUTES = {"/lib": lib, "/native": native}


def application(environ: Dict[str, Any], start_response: Callable[[str, List[Tuple[str, str]]], object]) -> Iterable[bytes]:
    check = ROUTES.get(environ.get("PATH_INFO", ""))
    body = environ["wsgi.input"].read(min(int(environ.get("CONTENT_LENGTH") or 0), 65537))
    ok = check is not None and check(body)
    text = b"SUCCESS" if ok else b"FAIL"
    start_response("200 OK" if ok else "400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    return [text]
