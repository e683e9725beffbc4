#!/usr/bin/env bash
# dist/cmpay-php-VERSION.zip: the Composer package cmpay/cmpay (version
# stamped from Cargo.toml into its composer.json) with the glibc-2.17 library
# at lib/linux-x86_64/libcmpay.so, where Cmpay\Library looks by itself. Install
# it through an "artifact" repository (see bindings/php/README.md).
source "$(dirname "$0")/common.sh"
s="$STAGE/php"
rm -rf "$s"; mkdir -p "$s/lib/linux-x86_64"
(cd bindings/php && git ls-files -z -- . ':!tests' ':!phpunit.xml.dist' | xargs -0 cp --parents -t "$s")
install -m 755 "$RELDIR/libcmpay.so" "$s/lib/linux-x86_64/libcmpay.so"
cp LICENSE-MIT LICENSE-APACHE "$s/"
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
for k in ("require-dev", "autoload-dev", "scripts"):
    out.pop(k, None)     # tests are not shipped
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
echo "wrote $(basename "$out")"
