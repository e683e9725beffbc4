#!/usr/bin/env bash
# The declared MSRV (Cargo.toml rust-version) must hold. With that toolchain
# installed, build on it. Without it (toolchains cannot be fetched here), check
# what can be checked offline: no resolved dependency declares a newer
# rust-version; clippy's incompatible_msrv lint (run by `make lint` with
# warnings denied) already refuses std APIs newer than the MSRV in our code.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
[ -n "$msrv" ] || { echo "check-msrv: Cargo.toml declares no rust-version" >&2; exit 1; }
if rustup toolchain list 2>/dev/null | grep -q "^$msrv"; then
  echo "check-msrv: building on $msrv"
  exec cargo +"$msrv" build --workspace --all-targets
fi
echo "check-msrv: toolchain $msrv not installed; checking dependencies' rust-version against it"
cargo metadata --format-version 1 \
  --filter-platform "$(rustc -vV | sed -n 's/^host: //p')" |
python3 -c '
import json, sys
msrv = sys.argv[1]
def v(s): return (tuple(int(x) for x in s.split(".")) + (0, 0))[:3]
m = json.load(sys.stdin)
used = {n["id"] for n in m["resolve"]["nodes"]}
newer = [(p["name"], p["version"], p["rust_version"]) for p in m["packages"]
         if p["id"] in used and p.get("rust_version") and v(p["rust_version"]) > v(msrv)]
for n, ver, rv in newer:
    print(f"check-msrv: {n} {ver} needs Rust {rv} > rust-version {msrv}", file=sys.stderr)
if not newer:
    print(f"check-msrv: {len(used)} packages, none declares more than {msrv}")
sys.exit(1 if newer else 0)
' "$msrv"
