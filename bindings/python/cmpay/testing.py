"""Test helpers: the CMPay gateway simulator, started inside the test's own
process through libcmpay (no ``cmpay`` binary, no Rust toolchain), and the
pytest fixture ``cmpay_sandbox`` that yields one per test.

Installing the package registers this module as a pytest plugin (the
``pytest11`` entry point), so a test only names the fixture::

    def test_checkout_pays(cmpay_sandbox):
        client = cmpay_sandbox.client
        client.create_order({..., "orderId": "T1", "notifyUrl": cmpay_sandbox.notify_url})
        cmpay_sandbox.pay("T1")
        cmpay_sandbox.wait_notified("T1")
        assert client.query_order("T1").order_status is cmpay.OrderStatus.PAID

Without the installed package (a source checkout), import it explicitly:
``from cmpay.testing import cmpay_sandbox`` in the test module or
``pytest_plugins = ["cmpay.testing"]`` in conftest.py. pytest is not a
dependency of the package: without it, ``Sandbox`` works (any test runner)
and the fixture is simply absent.

What each operation does, and where the OfflineNotify goes (the shop's own
notify handler, or the simulator's ``notify_url``), is in the project's
docs/sandbox-test-api.md.
"""

from __future__ import annotations

import ctypes
import json
from typing import Any, Dict, Iterator, List, Optional

from . import _native
from ._handle import Handle
from .client import Client
from .merchant import Merchant

__all__ = ["Sandbox"]

HTTPS = 1  # CMPAY_SANDBOX_HTTPS


def _text_into(fn: Any, sandbox: Any) -> str:
    data = _native.out_bytes(fn, sandbox)
    return data[:-1].decode("utf-8") if data.endswith(b"\0") else data.decode("utf-8")


class Sandbox(Handle):
    """A gateway simulator running in this process on 127.0.0.1 (a free
    port), with the test merchants of ``cmpay sandbox``. ``close()`` (or
    ``with``) stops it.

    ``client`` is a ``cmpay.Client`` of its MD5 test merchant, configured for
    it (logging to the ``cmpay`` logger as any client); ``merchant`` that
    merchant; ``endpoint`` the gateway URL, ``ca_pem`` the CA of its
    certificate (``https=True``) or None, ``notify_url`` a notifyUrl it
    serves itself that acknowledges every notification.
    """

    __slots__ = ("endpoint", "ca_pem", "notify_url", "merchant", "client")

    def __init__(self, https: bool = False) -> None:
        lib = _native.lib()
        ptr = _native.SandboxP()
        _native.check(lib.cmpay_sandbox_start(HTTPS if https else 0, ctypes.byref(ptr)))
        super().__init__(ptr, lib.cmpay_sandbox_free)
        self.endpoint = _text_into(lib.cmpay_sandbox_endpoint_into, ptr)
        self.ca_pem: Optional[str] = _text_into(lib.cmpay_sandbox_ca_pem_into, ptr) or None
        self.notify_url = _text_into(lib.cmpay_sandbox_notify_url_into, ptr)
        m = _native.MerchantP()
        _native.check(lib.cmpay_sandbox_merchant(ptr, ctypes.byref(m)))
        self.merchant = Merchant(m)
        self.client = Client(
            self.merchant,
            endpoint=self.endpoint,
            allow_http=self.ca_pem is None,
            ca_pem=self.ca_pem,
        )

    def pay(self, order_id: str) -> None:
        """Pays the order as a buyer at the cashier would: it is paid, and
        its OfflineNotify goes to the order's notifyUrl. ``NotFoundError``
        for an unknown order; ``InvalidInputError`` (message starting with
        ``already-paid``, ``already-failed``, ``expired`` or
        ``ambiguous-order``) otherwise."""
        _native.check(_native.lib().cmpay_sandbox_pay(self._p, _native.cstr(order_id, "order_id")))

    def fail(self, order_id: str) -> None:
        """As ``pay``, but the payment is refused: the order is FAILED."""
        _native.check(_native.lib().cmpay_sandbox_fail(self._p, _native.cstr(order_id, "order_id")))

    def expire(self, order_id: str) -> None:
        """Puts an unpaid order past its validity (the query then answers
        RPM99981); no notification is sent."""
        _native.check(_native.lib().cmpay_sandbox_expire(self._p, _native.cstr(order_id, "order_id")))

    def wait_notified(self, order_id: str, timeout: float = 10.0) -> List[Dict[str, Any]]:
        """Waits up to ``timeout`` seconds until the order's OfflineNotify
        was answered exactly ``SUCCESS``; returns its delivery attempts.
        ``cmpay.NetworkTimeoutError`` otherwise, its message
        ``not acknowledged: ...`` saying what the notify handler answered
        and why it does not count."""
        if timeout < 0:
            raise ValueError("timeout must not be negative")
        ms = min(int(timeout * 1000), 0xFFFFFFFF)
        _native.check(_native.lib().cmpay_sandbox_wait_notified(self._p, _native.cstr(order_id, "order_id"), ms))
        return self.deliveries(order_id)

    def deliveries(self, order_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every OfflineNotify sent so far (of ``order_id`` only, when
        given), oldest first: dicts with ``orderId``, ``url``, ``attempt``,
        ``httpStatus``, ``answer``, ``acked``, ``notAcked`` (why not),
        ``body`` (what was POSTed, for a handler called in-process), ..."""
        all_ = json.loads(_text_into(_native.lib().cmpay_sandbox_deliveries_into, self._p))
        return [d for d in all_ if order_id is None or d["orderId"] == order_id]

    def close(self) -> None:
        """Stops the simulator (its client first); idempotent."""
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        super().close()


try:
    import pytest
except ImportError:  # pytest is optional: Sandbox works without it
    pytest = None  # type: ignore[assignment]

if pytest is not None:
    __all__.append("cmpay_sandbox")

    @pytest.fixture
    def cmpay_sandbox() -> Iterator[Sandbox]:
        """A gateway simulator in this process, stopped after the test (see
        ``Sandbox``)."""
        sandbox = Sandbox()
        try:
            yield sandbox
        finally:
            sandbox.close()
