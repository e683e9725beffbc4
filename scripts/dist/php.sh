#!/usr/bin/env bash
# dist/cmpay-php-VERSION.zip: the Composer package cmpay/cmpay (version
# stamped from Cargo.toml into its composer.json) with every platform's library
# at lib/<platform>/ (scripts/dist/common.sh: lib/linux-x86_64/libcmpay.so,
# lib/linux-aarch64/libcmpay.so, lib/windows-x86_64/cmpay.dll,
# lib/windows-x86/cmpay.dll), where Cmpay\Library::platform() looks by itself;
# composer.json's extra.cmpay.platforms lists them. Install it through an
# "artifact" repository (see bindings/php/README.md).
source "$(dirname "$0")/common.sh"
s="$STAGE/php"
require_natives
same_repository bindings/php/composer.json
rm -rf "$s"; mkdir -p "$s"
(cd bindings/php && git ls-files -z -- . ':!tests' ':!phpunit.xml.dist' | xargs -0 cp --parents -t "$s")
carried=()
while read -r platform dir file rest; do
  install -D -m 755 "$(native_lib "$platform" </dev/null)" "$s/lib/$platform/$file"
  carried+=("$platform")
done < <(platforms)
cp LICENSE-MIT LICENSE-APACHE "$s/"
python3 - "$s/composer.json" "$VERSION" "${carried[@]}" <<'PY'
import json, sys
path, version, carried = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(path, encoding="utf-8") as f:
    c = json.load(f)
out = dict(c)
for k in ("require-dev", "autoload-dev", "scripts"):
    out.pop(k, None)     # tests are not shipped
# Composer cannot constrain the OS or CPU: the archive says what lib/ carries
# (Cmpay\Library::advice() tells a shop on another platform to set CMPAY_LIB).
out.setdefault("extra", {})["cmpay"] = {"platforms": carried}
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=4)
    f.write("\n")
PY
# What Packagist reads at the release tag (.github/workflows/release.yml pushes
# this tree): Packagist's own checks, warnings included. Then the version goes in
# for the zip, which an "artifact" repository reads it from.
(cd "$s" && COMPOSER_HOME="$STAGE/composer-home" composer validate --strict --no-check-lock 2>&1) \
  || { echo "composer validate --strict refuses $s/composer.json" >&2; exit 1; }
python3 - "$s/composer.json" "$VERSION" <<'PY'
import json, sys
path, version = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    c = json.load(f)
out = {}
for k, v in c.items():  # "version" right after "description"
    out[k] = v
    if k == "description":
        out["version"] = version
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=4)
    f.write("\n")
PY
out="$DIST/cmpay-php-$VERSION.zip"
python3 - "$s" "$out" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(d, name)
            info = zipfile.ZipInfo(os.path.relpath(p, src), date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (os.stat(p).st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(p, "rb") as f:
                z.writestr(info, f.read())
PY
echo "wrote $(basename "$out") (lib/: ${carried[*]})"
