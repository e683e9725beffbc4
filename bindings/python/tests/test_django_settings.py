"""cmpay.django's settings (cmpay/django/conf.py), each case in a fresh
Python process with Django configured by it: settings.CMPAY's merchant,
its fallback to the CMPAY_* variables, and the configuration errors. (The
app's view, model and admin run in a Django project under gunicorn:
tests/servers/test_frameworks.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from conftest import KEY, MERCHANT_ID, vector

pytest.importorskip("django")

PACKAGE = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, sys
from django.conf import settings
settings.configure(INSTALLED_APPS=["cmpay.django"], CMPAY=json.loads(sys.argv[1]),
                   DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
import django
django.setup()
from cmpay.django import conf
try:
    client = conf.client()
    params = json.loads(sys.argv[2])
    print(json.dumps({"hmac": client.merchant.sign_query(params).hmac, "merchant_id": conf.merchant_id()}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
"""


def configured(cmpay_setting: Dict[str, Any], **env: str) -> Dict[str, Any]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CMPAY_") or k == "CMPAY_LIB"}
    r = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(cmpay_setting), json.dumps(vector("query-request")["params"])],
                       env=dict(clean, PYTHONPATH=str(PACKAGE), PYTHONDONTWRITEBYTECODE="1", **env),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


SIGNED = vector("query-request")["hmac"]


def test_merchant_from_settings() -> None:
    assert configured({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "TIMEOUT_MS": 5000}) == {"hmac": SIGNED, "merchant_id": MERCHANT_ID}


def test_falls_back_to_the_environment() -> None:
    assert configured({"ENDPOINT": "http://127.0.0.1:9/ips/cmpayService", "ALLOW_HTTP": True},
                      CMPAY_MERCHANT_ID=MERCHANT_ID, CMPAY_SIGN_KEY=KEY) == {"hmac": SIGNED, "merchant_id": MERCHANT_ID}


def test_a_bad_variable_is_named() -> None:
    got = configured({}, CMPAY_MERCHANT_ID=MERCHANT_ID, CMPAY_SIGN_KEY=KEY, CMPAY_TIMEOUT_MS="soon")
    assert got["error"] == "InvalidInputError" and "CMPAY_TIMEOUT_MS" in got["message"], got


@pytest.mark.parametrize("setting, why", [
    ({"MERCHANT_ID": MERCHANT_ID}, "neither SIGN_KEY nor both RSA_PRIVATE_KEY_FILE and RSA_PUBLIC_KEY_FILE"),
    ({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "ENDPIONT": "x"}, "unknown keys: ENDPIONT"),
    ({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "ALLOW_HTTP": "0"}, "ALLOW_HTTP'] must be True or False, not '0'"),
    ({"MERCHANT_ID": MERCHANT_ID, "RSA_PRIVATE_KEY_FILE": "/nonexistent/key.pem", "RSA_PUBLIC_KEY_FILE": "/nonexistent/gw.pem"},
     "cannot read /nonexistent/key.pem"),
])
def test_configuration_errors(setting: Dict[str, Any], why: str) -> None:
    got = configured(setting)
    assert got["error"] == "ImproperlyConfigured" and why in got["message"], got
    assert KEY not in got["message"]
