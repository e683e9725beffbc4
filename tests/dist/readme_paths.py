#!/usr/bin/env python3
"""Every file or directory of a binding that its README cites (a `path`
in backquotes that exists under bindings/<binding>/ in the checkout, tests
aside: they are not shipped) is inside the built package: the PHP archive
(dist/cmpay-php-VERSION.zip, at the same path), the wheel and the sdist
(cmpay/... as is; examples/... as cmpay/examples/...). Run by `make
test-dist` after `make dist`; prints each package's cited paths, fails
naming the ones missing."""

from __future__ import annotations

import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Callable, List, Set

ROOT = Path(__file__).resolve().parents[2]
CITED = re.compile(r"`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?)`")


def version() -> str:
    m = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(encoding="utf-8"), re.M)
    assert m, "no version in Cargo.toml"
    return m.group(1)


def cited(binding: str) -> List[str]:
    """The paths README.md cites that exist in the binding's checkout (not tests/)."""
    base = ROOT / "bindings" / binding
    found = []
    for path in CITED.findall((base / "README.md").read_text(encoding="utf-8")):
        if "/" in path and not path.startswith("tests/") and (base / path).exists() and path not in found:
            found.append(path)
    return found


def check(package: Path, names: Set[str], paths: List[str], inside: Callable[[str], str]) -> List[str]:
    """The cited paths missing from a package whose member names are ``names``."""
    missing = []
    for path in paths:
        want = inside(path).rstrip("/")
        if want not in names and not any(n.startswith(want + "/") for n in names):
            missing.append("%s: %s (as %s)" % (package.name, path, want))
    print("%s: %d cited paths present: %s" % (package.name, len(paths) - len(missing), " ".join(paths)))
    return missing


def main() -> int:
    v = version()
    dist = ROOT / "dist"
    missing: List[str] = []
    php = cited("php")
    python = cited("python")
    assert any(p.startswith("examples/") for p in php) and any(p.startswith("examples/") for p in python), (php, python)

    archive = dist / ("cmpay-php-%s.zip" % v)
    with zipfile.ZipFile(archive) as z:
        missing += check(archive, set(z.namelist()), php, lambda p: p)

    def in_package(p: str) -> str:
        return "cmpay/" + p if p.startswith("examples/") else p

    wheel = dist / ("cmpay-%s-py3-none-manylinux2014_x86_64.whl" % v)
    with zipfile.ZipFile(wheel) as z:
        missing += check(wheel, set(z.namelist()), python, in_package)
    sdist = dist / ("cmpay-%s.tar.gz" % v)
    top = "cmpay-%s/" % v
    with tarfile.open(sdist) as t:
        names = {n[len(top):] for n in t.getnames() if n.startswith(top)}
    missing += check(sdist, names, python, in_package)
    for m in missing:
        print("FAIL cited by the README but not in the package: " + m, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
