#!/usr/bin/env bash
# Installs the pinned packaging tools of `make dist` into a venv under target/
# (not the system's Python): cargo-zigbuild with Zig from PyPI to link against
# glibc 2.17, auditwheel to check the wheel, build/setuptools/wheel to make it,
# twine to check the wheels and sdist as PyPI will (`twine check --strict`).
# Idempotent: reinstalls only when a pin changes or the checkout moved (a
# venv's scripts name its absolute path).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/dist-tools
pins=(cargo-zigbuild==0.24.0 ziglang==0.17.0 auditwheel==6.8.2 build==1.6.1 setuptools==84.2.1 wheel==0.48.0 twine==7.0.0)
stamp="$venv/.pins"
want="$PWD/$venv ${pins[*]}"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi
python3 -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "${pins[@]}"
echo "$want" > "$stamp"
