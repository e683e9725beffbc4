"""The app's settings: ``settings.CMPAY``, a dict, falling back to the
environment.

With ``"MERCHANT_ID"`` in ``CMPAY``, the merchant comes from it: ``SIGN_KEY``
(MD5), or ``RSA_PRIVATE_KEY_FILE`` and ``RSA_PUBLIC_KEY_FILE`` (RSA, PEM or
DER files). Without it, the library reads the ``CMPAY_*`` variables itself
(``cmpay.Client.from_env``: the same names and rules in every language).
Either way ``ENDPOINT``, ``CHARSET``, ``CONNECT_TIMEOUT_MS``, ``TIMEOUT_MS``,
``PROXY``, ``ALLOW_HTTP`` and ``EXTRA_CA_FILE`` in ``CMPAY`` are the client's
options (a ``CMPAY_*`` variable overrides them in the second case).

``ORDER_AMOUNT`` (required by the notify view): the dotted path of the
shop's function ``order_amount(order_id: str) -> Optional[int]``, the amount
in fen of the shop's order, None when the shop has no such order.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Dict, Optional

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

import cmpay

_OPTIONS = {
    "ENDPOINT": "endpoint",
    "CHARSET": "charset",
    "CONNECT_TIMEOUT_MS": "connect_timeout_ms",
    "TIMEOUT_MS": "timeout_ms",
    "PROXY": "proxy",
    "ALLOW_HTTP": "allow_http",
}
_KNOWN = set(_OPTIONS) | {"MERCHANT_ID", "SIGN_KEY", "RSA_PRIVATE_KEY_FILE", "RSA_PUBLIC_KEY_FILE", "EXTRA_CA_FILE",
                          "ORDER_AMOUNT"}

_lock = threading.Lock()
_client: Optional[cmpay.Client] = None


def values() -> Dict[str, Any]:
    """``settings.CMPAY`` (empty when unset); an unknown key is a configuration error."""
    given = getattr(settings, "CMPAY", None) or {}
    if not isinstance(given, dict):
        raise ImproperlyConfigured("settings.CMPAY must be a dict, not %s" % type(given).__name__)
    unknown = sorted(set(given) - _KNOWN)
    if unknown:
        raise ImproperlyConfigured("settings.CMPAY has unknown keys: %s" % ", ".join(unknown))
    return given


def _read(path: str, key: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ImproperlyConfigured("settings.CMPAY[%r]: cannot read %s: %s" % (key, path, e.strerror)) from None


def _build() -> cmpay.Client:
    v = values()
    options: Dict[str, Any] = {name: v[key] for key, name in _OPTIONS.items() if v.get(key) not in (None, "")}
    if "allow_http" in options and not isinstance(options["allow_http"], bool):
        raise ImproperlyConfigured("settings.CMPAY['ALLOW_HTTP'] must be True or False, not %r" % (options["allow_http"],))
    if v.get("EXTRA_CA_FILE"):
        options["ca_pem"] = _read(v["EXTRA_CA_FILE"], "EXTRA_CA_FILE")
    if not v.get("MERCHANT_ID"):
        return cmpay.Client.from_env(**options)
    if v.get("SIGN_KEY"):
        merchant = cmpay.Merchant.md5(v["MERCHANT_ID"], v["SIGN_KEY"])
    elif v.get("RSA_PRIVATE_KEY_FILE") and v.get("RSA_PUBLIC_KEY_FILE"):
        merchant = cmpay.Merchant.rsa(v["MERCHANT_ID"], _read(v["RSA_PRIVATE_KEY_FILE"], "RSA_PRIVATE_KEY_FILE"),
                                      _read(v["RSA_PUBLIC_KEY_FILE"], "RSA_PUBLIC_KEY_FILE"))
    else:
        raise ImproperlyConfigured("settings.CMPAY has MERCHANT_ID but neither SIGN_KEY nor both RSA_PRIVATE_KEY_FILE"
                                   " and RSA_PUBLIC_KEY_FILE")
    return cmpay.Client(merchant, **options)


def client() -> cmpay.Client:
    """The process's client (built once, shared by threads)."""
    global _client
    with _lock:
        if _client is None:
            _client = _build()
        return _client


def merchant_id() -> str:
    """The merchant's id: ``CMPAY["MERCHANT_ID"]``, else ``CMPAY_MERCHANT_ID``."""
    found = values().get("MERCHANT_ID") or os.environ.get("CMPAY_MERCHANT_ID")
    if not found:
        raise ImproperlyConfigured("neither settings.CMPAY['MERCHANT_ID'] nor CMPAY_MERCHANT_ID is set")
    return str(found)


def order_amount() -> Callable[[str], Optional[int]]:
    """The shop's ``order_amount`` function (``CMPAY["ORDER_AMOUNT"]``)."""
    path = values().get("ORDER_AMOUNT")
    if not path:
        raise ImproperlyConfigured("settings.CMPAY['ORDER_AMOUNT'] must name the shop's order_amount(order_id) function")
    return import_string(path) if isinstance(path, str) else path
