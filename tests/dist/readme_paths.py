#!/usr/bin/env python3
"""Every path a binding's README cites (in backquotes) ships inside that
binding's package, so a shop that installed only the package can follow
its README. Run by `make test-dist` after `make dist`; prints each
package's cited paths and fails naming the ones missing.

- PHP: every cited file or folder of bindings/php (tests aside: they are
  not shipped) is in dist/cmpay-php-VERSION.zip at the same path.
- Python: likewise in the wheel and the sdist, examples/... as
  cmpay/examples/... (the package carries them).
- Java: every cited examples/... is in dist/cmpay-VERSION.jar, and
  spring-boot-starter/example/... in the starter's jar at example/....
- .NET: every cited examples/... is in dist/Cmpay.VERSION.nupkg.
An examples path cited but absent from the checkout fails too: the README
would point at nothing."""

from __future__ import annotations

import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Callable, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CITED = re.compile(r"`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?)`")
EXAMPLE = re.compile(r"^(?:spring-boot-starter/)?examples?/")


def version() -> str:
    m = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(encoding="utf-8"), re.M)
    assert m, "no version in Cargo.toml"
    return m.group(1)


def zip_names(path: Path) -> Set[str]:
    with zipfile.ZipFile(path) as z:
        return set(z.namelist())


def sdist_names(path: Path, top: str) -> Set[str]:
    with tarfile.open(path) as t:
        return {n[len(top):] for n in t.getnames() if n.startswith(top)}


# A package: (its file, its member names, which cited paths it must carry,
# and where such a path sits inside it, None when it must not carry it).
Package = Tuple[Path, Callable[[], Set[str]], Callable[[str], Optional[str]]]


def packages(v: str) -> dict:
    jar = DIST / ("cmpay-%s.jar" % v)
    starter = DIST / ("cmpay-spring-boot-starter-%s.jar" % v)
    nupkg = DIST / ("Cmpay.%s.nupkg" % v)
    php = DIST / ("cmpay-php-%s.zip" % v)
    wheel = DIST / ("cmpay-%s-py3-none-manylinux2014_x86_64.whl" % v)
    sdist = DIST / ("cmpay-%s.tar.gz" % v)

    def in_python(p: str) -> str:
        return "cmpay/" + p if p.startswith("examples/") else p

    return {
        "php": [(php, lambda: zip_names(php), lambda p: p)],
        "python": [
            (wheel, lambda: zip_names(wheel), in_python),
            (sdist, lambda: sdist_names(sdist, "cmpay-%s/" % v), in_python),
        ],
        "java": [
            (jar, lambda: zip_names(jar), lambda p: p if p.startswith("examples/") else None),
            (starter, lambda: zip_names(starter),
             lambda p: p[len("spring-boot-starter/"):] if p.startswith("spring-boot-starter/example/") else None),
        ],
        "dotnet": [(nupkg, lambda: zip_names(nupkg), lambda p: p if p.startswith("examples/") else None)],
    }


def main() -> int:
    failed: List[str] = []
    for binding, pkgs in packages(version()).items():
        base = ROOT / "bindings" / binding
        paths: List[str] = []
        for p in CITED.findall((base / "README.md").read_text(encoding="utf-8")):
            if "/" not in p or p.startswith("tests/") or p in paths:
                continue
            if (base / p).exists():
                paths.append(p)
            elif EXAMPLE.match(p):
                failed.append("bindings/%s/README.md cites %s, which is not in the checkout" % (binding, p))
        if not any(EXAMPLE.match(p) for p in paths):
            failed.append("bindings/%s/README.md cites no example: the check would prove nothing" % binding)
        for package, names_of, inside in pkgs:
            names = names_of()
            carried = [(p, inside(p)) for p in paths if inside(p) is not None]
            for p, want in carried:
                want = want.rstrip("/")
                if want not in names and not any(n.startswith(want + "/") for n in names):
                    failed.append("%s: %s (as %s) cited by bindings/%s/README.md" % (package.name, p, want, binding))
            print("%s: %d cited paths checked: %s" % (package.name, len(carried), " ".join(p for p, _ in carried)))
    for f in failed:
        print("FAIL " + f, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
