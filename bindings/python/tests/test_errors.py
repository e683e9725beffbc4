"""Error mapping: every status becomes its exception, with code and message."""

from __future__ import annotations

import ctypes
import socket
import threading
from typing import Iterator

import pytest

import cmpay
from cmpay import _native
from cmpay.errors import _error_class as error_class
from conftest import KEY, MERCHANT_ID, key_file, vector


def test_hierarchy() -> None:
    # Every status of the package's own table has an exception of its own
    # (scripts/check-statuses.py holds the table to the C header, and which
    # exception to the other bindings and the docs); only PANIC, and numbers
    # this version does not know, are internal errors.
    for status in cmpay.Status:
        if status is cmpay.Status.OK:
            continue
        cls = error_class(status)
        assert issubclass(cls, cmpay.CmpayError), status
        assert (cls is cmpay.InternalError) == (status is cmpay.Status.PANIC), status
    assert error_class(9999) is cmpay.InternalError
    for sub in (cmpay.FieldError, cmpay.InvalidKeyError, cmpay.ForgeableSourceError):
        assert issubclass(sub, cmpay.InvalidInputError)
    for net in (cmpay.NetworkTimeoutError, cmpay.TlsError):
        assert issubclass(net, cmpay.NetworkError)
    for cls in (cmpay.InvalidInputError, cmpay.SignatureError, cmpay.ParseError, cmpay.GatewayError, cmpay.AmbiguousError, cmpay.NotConfirmedError,
                cmpay.NetworkError, cmpay.NotFoundError, cmpay.InternalError, cmpay.LibraryNotFoundError):
        assert issubclass(cls, cmpay.CmpayError)
    assert issubclass(cmpay.InvalidInputError, ValueError)
    assert issubclass(cmpay.NotFoundError, LookupError)


def test_status_names_match_library() -> None:
    for status in cmpay.Status:
        assert cmpay.status_name(status) == "CMPAY_" + status.name


def test_status_list_is_the_librarys() -> None:
    # Both ways: every number the library names is a Status, and no other.
    named = [n for n in range(1024) if cmpay.status_name(n) != "CMPAY_UNKNOWN"]
    assert named == [int(s) for s in cmpay.Status]


def test_check_reads_last_error() -> None:
    # A real failure, then check() on its status: the exception carries the
    # library's message and names.
    import ctypes

    lib = _native.lib()
    out = _native.MerchantP()
    status = lib.cmpay_merchant_new_md5(b"888009941120001", b"", ctypes.byref(out))
    assert status != 0
    with pytest.raises(cmpay.CmpayError) as e:
        _native.check(status)
    assert e.value.status == status
    assert e.value.message
    assert str(e.value).startswith(e.value.status_name + ": ")
    assert e.value.status_name == cmpay.status_name(status)


def test_null_pointer_status() -> None:
    import ctypes

    lib = _native.lib()
    out = _native.MerchantP()
    status = lib.cmpay_merchant_new_md5(None, KEY.encode(), ctypes.byref(out))
    assert status == cmpay.Status.NULL_POINTER
    with pytest.raises(cmpay.InvalidInputError) as e:
        _native.check(status)
    assert e.value.status_name == "CMPAY_NULL_POINTER"


def test_invalid_utf8_status(merchant: cmpay.Merchant) -> None:
    lib = _native.lib()
    out = _native.ResponseP()
    status = lib.cmpay_response_parse(merchant._p, b"order-\xff", b"", 0, ctypes.byref(out))
    assert status == cmpay.Status.INVALID_UTF8
    with pytest.raises(cmpay.InvalidInputError) as e:
        _native.check(status)
    assert e.value.status == cmpay.Status.INVALID_UTF8


def test_bad_md5_key() -> None:
    for key in ("", KEY + "\n"):
        with pytest.raises(cmpay.InvalidKeyError) as e:
            cmpay.Merchant.md5(MERCHANT_ID, key)
        assert e.value.status == cmpay.Status.KEY
        assert e.value.status_name == "CMPAY_KEY"
        assert e.value.message


def test_bad_rsa_key() -> None:
    with pytest.raises(cmpay.InvalidKeyError) as e:
        cmpay.Merchant.rsa(MERCHANT_ID, b"not a key", key_file("platform_public.pem"))
    assert e.value.status == cmpay.Status.KEY
    with pytest.raises(cmpay.InvalidKeyError):
        cmpay.Merchant.rsa(MERCHANT_ID, key_file("merchant_private_pkcs8.pem"), b"")


def test_bad_merchant_id() -> None:
    with pytest.raises(cmpay.InvalidInputError):
        cmpay.Merchant.md5("x" * 51, KEY)


def test_unknown_kind(merchant: cmpay.Merchant) -> None:
    with pytest.raises(cmpay.InvalidInputError) as e:
        merchant.sign_request("order", {"amount": "1"})
    assert e.value.status == cmpay.Status.INVALID_ARGUMENT
    with pytest.raises(cmpay.InvalidInputError):
        merchant.sign_request(cmpay.ORDER_RESPONSE, {})  # not a request


def test_unknown_field(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset02")["params"], colour="red")
    with pytest.raises(cmpay.InvalidInputError) as e:
        merchant.sign_order(params)
    assert "colour" in e.value.message


def test_field_error_carries_gateway_code(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset02")["params"], productName="")
    with pytest.raises(cmpay.FieldError) as e:
        merchant.sign_order(params)
    assert e.value.field == "productName"
    assert e.value.return_code == "MCG01033"
    assert e.value.status == cmpay.Status.FIELD_INVALID
    params = dict(vector("order-request-md5-charset02")["params"], periodUnit="09")
    with pytest.raises(cmpay.FieldError) as e:
        merchant.sign_order(params)
    assert (e.value.field, e.value.return_code) == ("periodUnit", "MCG01030")


def test_nul_in_a_value_is_refused_never_cut(merchant: cmpay.Merchant) -> None:
    # A NUL in a name or value cannot travel in the NUL pairs of the C ABI:
    # refused before the call, never split or cut at the NUL.
    params = dict(vector("order-request-md5-charset02")["params"], productName="a\0b")
    with pytest.raises(cmpay.InvalidInputError) as e:
        merchant.sign_order(params)
    assert "productName" in e.value.message and "NUL" in e.value.message
    q = {"merchantId": "888009941120001", "requestId": "R1", "signType": "MD5",
         "type": "OrderQuery", "version": "2.0.0", "orderId": "a\0b"}
    with pytest.raises(cmpay.InvalidInputError):
        merchant.hmac("query-request", q)
    with pytest.raises(cmpay.InvalidInputError):
        merchant.hmac("query-request", {"order\0Id": "a"})


def test_a_form_body_is_refused_at_the_abi(merchant: cmpay.Merchant) -> None:
    # The C ABI takes NUL pairs only; a form body is refused, naming them.
    body = b"orderId=O1"
    out = ctypes.c_void_p()
    status = _native.lib().cmpay_merchant_hmac(merchant._p, b"query-request", body, len(body), ctypes.byref(out))
    assert status == cmpay.Status.INVALID_ARGUMENT
    assert "NUL" in _native.lib().cmpay_last_error().decode("utf-8")


def test_text_gbk_cannot_hold(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset00")["params"], productName="😀")
    with pytest.raises(cmpay.CmpayError) as e:
        merchant.sign_order(params)
    assert "productName" in e.value.message or e.value.field == "productName"


def test_wrapper_refuses_altered_text(merchant: cmpay.Merchant) -> None:
    with pytest.raises(cmpay.InvalidInputError):
        cmpay.Merchant.md5(MERCHANT_ID + "\0", KEY)
    with pytest.raises(cmpay.InvalidInputError):
        merchant.sign_order({"productName": "\udcff"})
    with pytest.raises(cmpay.InvalidInputError):
        merchant.sign_order({"amount": 1.5})  # type: ignore[dict-item,arg-type]
    with pytest.raises(cmpay.InvalidInputError):
        merchant.sign_order({"amount": True})  # type: ignore[dict-item]
    with pytest.raises(cmpay.InvalidInputError):
        merchant.parse_notification(12)  # type: ignore[arg-type]


def test_parse_errors(merchant: cmpay.Merchant) -> None:
    with pytest.raises((cmpay.ParseError, cmpay.SignatureError)):
        merchant.parse_notification(b"garbage")
    with pytest.raises(cmpay.ParseError):
        merchant.parse_notification(b"a=1&a=2")
    with pytest.raises(cmpay.ParseError):
        merchant.parse_response(cmpay.ORDER_RESPONSE, b"x" * (70 * 1024))
    with pytest.raises(cmpay.CmpayError):
        merchant.parse_notification(b"")


def test_body_with_nul_is_passed_whole(merchant: cmpay.Merchant) -> None:
    body = vector("notify-OfflineNotify")["form_body"].encode() + b"\0junk"
    with pytest.raises((cmpay.ParseError, cmpay.SignatureError)):
        merchant.parse_notification(body)


def test_negative_amount(merchant: cmpay.Merchant) -> None:
    n = merchant.parse_notification(vector("notify-OfflineNotify")["form_body"])
    with pytest.raises(cmpay.InvalidInputError):
        n.check_order(MERCHANT_ID, "ORD20261125000001", -1)


def test_closed_handle(merchant: cmpay.Merchant) -> None:
    n = merchant.parse_notification(vector("notify-OfflineNotify")["form_body"])
    with n:
        assert not n.closed
    assert n.closed
    n.close()  # idempotent
    with pytest.raises(cmpay.InvalidInputError):
        n.ack()


# ---------------------------------------------------------------- network

@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    conns = []
    stop = threading.Event()

    def run() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                conns.append(c)
            except OSError:
                pass

    t = threading.Thread(target=run, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in conns:
        c.close()
    srv.close()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused(merchant: cmpay.Merchant) -> None:
    client = cmpay.Client(merchant, endpoint="http://127.0.0.1:%d/ips/cmpayService" % _closed_port(), allow_http=True, timeout_ms=2000)
    with client, pytest.raises(cmpay.NetworkError) as e:
        client.query_order("ORD1")
    assert e.value.status == cmpay.Status.TRANSPORT


def test_timeout(merchant: cmpay.Merchant, silent_server: int) -> None:
    client = cmpay.Client(merchant, endpoint="http://127.0.0.1:%d/ips/cmpayService" % silent_server,
                          allow_http=True, timeout_ms=300, connect_timeout_ms=300)
    with client, pytest.raises(cmpay.NetworkTimeoutError) as e:
        client.query_order("ORD1")
    assert e.value.status == cmpay.Status.TIMEOUT
    assert isinstance(e.value, cmpay.NetworkError)


def test_tls_error(merchant: cmpay.Merchant, silent_server: int) -> None:
    # https to a server that never completes a handshake: a TLS or timeout error, never success.
    client = cmpay.Client(merchant, endpoint="https://127.0.0.1:%d/ips/cmpayService" % silent_server, timeout_ms=300, connect_timeout_ms=300)
    with client, pytest.raises(cmpay.NetworkError):
        client.refund("ORD1", 100)


def test_http_refused_without_allow_http(merchant: cmpay.Merchant) -> None:
    with pytest.raises(cmpay.CmpayError):
        c = cmpay.Client(merchant, endpoint="http://127.0.0.1:9/ips/cmpayService")
        c.query_order("ORD1")


def test_bad_config(merchant: cmpay.Merchant) -> None:
    with pytest.raises(cmpay.InvalidInputError):
        cmpay.Client(merchant, charset="99")
    with pytest.raises(cmpay.InvalidInputError):
        cmpay.Client(merchant, timeout_ms="soon")  # type: ignore[arg-type]
    with pytest.raises(cmpay.CmpayError):
        cmpay.Client(merchant, ca_pem=b"not a pem")
