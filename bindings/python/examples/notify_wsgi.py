#!/usr/bin/env python3
"""A CMPay notify endpoint as a shop would deploy it: a WSGI application
(standard library only) that receives PageNotify and OfflineNotify, verifies
them through libcmpay, rules out the other orders an ambiguous one reads as
that the shop does not have, has the gateway confirm it when that is not
enough, checks it against the shop's own order, records the payment once
(by payNo and by the order's state), and only then answers exactly
``SUCCESS`` (shop_store.py says how).

Configuration (environment):
    CMPAY_MERCHANT_ID     the merchant id at the gateway
    CMPAY_SIGN_KEY        the 64-character MD5 signKey, or, for RSA:
    CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
    CMPAY_ENDPOINT        the gateway that confirms (default: production);
    CMPAY_ALLOW_HTTP      1 only for a test gateway on plain http
    CMPAY_SHOP_DB         the shop's SQLite database, or CMPAY_PG_DSN (see shop_store.py)
    CMPAY_LIB             where libcmpay is, if not found by itself

Run it with any WSGI server (``gunicorn -w 4 notify_wsgi:application``, uWSGI,
mod_wsgi: ``application``), or
stand-alone for a test:  python3 notify_wsgi.py 127.0.0.1 8080  (port 0: any
free port, printed on the first line).
"""

from __future__ import annotations

import os
import socketserver
import sys
from typing import Any, Callable, Dict, Iterable, List, Tuple
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shop_store import MAX_BODY, Store, handle  # noqa: E402

StartResponse = Callable[[str, List[Tuple[str, str]]], object]
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict", 413: "Payload Too Large",
            503: "Service Unavailable"}


def _raw_body(environ: Dict[str, Any]) -> bytes:
    """The notification exactly as it arrived: the POST body, or the query
    string of the browser's redirect (never a re-encoded form)."""
    if environ.get("REQUEST_METHOD") == "POST":
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0:
            return b""
        data = environ["wsgi.input"].read(min(length, MAX_BODY + 1))
        return bytes(data)
    # WSGI gives QUERY_STRING as a latin-1 "native string": this restores its bytes.
    return str(environ.get("QUERY_STRING", "")).encode("latin-1")


def application(environ: Dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    # (For a PageNotify the shopper's browser is here: a shop may render its
    # "thank you" page instead, after the same checks and the same recording.)
    status, text, _ = handle(_raw_body(environ))
    body = text.encode("utf-8")
    start_response("%d %s" % (status, _REASONS[status]), [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        sys.stderr.write("notify_wsgi: " + format % args + "\n")


def main(argv: List[str]) -> None:
    host = argv[1] if len(argv) > 1 else "127.0.0.1"
    port = int(argv[2]) if len(argv) > 2 else 8080
    Store().close()  # creates the tables
    with make_server(host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler) as server:
        print("listening on http://%s:%d/" % (host, server.server_port), flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
