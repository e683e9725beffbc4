"""Starting the project's gateway simulator (`cmpay sandbox`) for a test, and
talking HTTP to it and to an endpoint with the standard library only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cmpay_binary() -> Path:
    """CMPAY_BIN, or target/debug/cmpay. Under `make` (CMPAY_BIN set) a missing
    binary fails the test; run by hand without it, the test is skipped."""
    given = os.environ.get("CMPAY_BIN")
    path = Path(given) if given else REPO / "target" / "debug" / "cmpay"
    if not path.is_file():
        if given:
            pytest.fail("CMPAY_BIN=%s does not exist (cargo build)" % given)
        pytest.skip("no %s: build it with `cargo build`" % path)
    return path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def http(method: str, url: str, body: Optional[bytes] = None, content_type: str = "application/x-www-form-urlencoded") -> Tuple[int, Dict[str, str], bytes]:
    """One request, redirects not followed, HTTP errors returned, no proxy."""
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with _OPENER.open(req, timeout=15) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


class Sandbox:
    """`cmpay sandbox` on a free loopback port, OfflineNotify resends 60x faster."""

    def __init__(self, ca_out: Optional[Path] = None) -> None:
        """Plain HTTP; with ``ca_out``, HTTPS with its CA certificate written there."""
        binary = cmpay_binary()
        self.output: List[str] = []
        last_error = ""
        for _ in range(5):
            self.port = free_port()
            args = [str(binary), "sandbox", "--port", str(self.port), "--time-factor", "60"]
            if ca_out is not None:
                args += ["--https", "--ca-out", str(ca_out)]
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            threading.Thread(target=self._drain, daemon=True).start()
            self.base = "%s://127.0.0.1:%d" % ("https" if ca_out else "http", self.port)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.proc.poll() is None:
                if any("press Ctrl-C" in line for line in self.output):  # the CLI's last start-up line
                    return
                time.sleep(0.05)
            last_error = "".join(self.output)
            self.stop()
        raise RuntimeError("the sandbox did not start:\n" + last_error)

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    @property
    def endpoint(self) -> str:
        return self.base + "/ips/cmpayService"

    def json(self, path: str) -> Any:
        status, _, body = http("GET", self.base + path)
        assert status == 200, body
        return json.loads(body)

    def deliveries(self, order_id: str) -> List[Dict[str, Any]]:
        return self.json("/sandbox/deliveries?orderId=" + order_id)

    def order(self, order_id: str) -> Dict[str, Any]:
        (order,) = self.json("/sandbox/orders?orderId=" + order_id)
        return order

    def wait_for_delivery(self, order_id: str, timeout: float = 20.0) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.deliveries(order_id)
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError("no OfflineNotify was delivered for %s" % order_id)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
