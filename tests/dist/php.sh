#!/usr/bin/env bash
# The Composer archive as a PHP shop installs it: a fresh project whose only
# repository is an "artifact" directory holding dist/cmpay-php-VERSION.zip
# (Packagist switched off), `composer require`-style constraint ^X.Y.Z, then,
# with no CMPAY_LIB, the binding's vectors and notify-endpoint tests against
# the installed vendor/cmpay/cmpay (its own examples/notify.php served by
# php -S), and its Laravel provider (autoloaded by Composer) in Debian's
# Laravel. The library loaded must be vendor/cmpay/cmpay/lib/linux-x86_64/.
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
zip="dist/cmpay-php-$version.zip"
# The archive's layout, as the loader chooses: for each (OS family, php_uname('m'),
# PHP_INT_SIZE) a shop runs, Cmpay\Library::platformFor()/fileNameFor() name
# lib/<platform>/<file>, which must be in the archive and built for that platform
# (tests/dist/binfmt.py); composer.json's extra.cmpay.platforms lists exactly them.
choices="$(php -r 'require "bindings/php/autoload.php";
foreach ([["Linux", "x86_64", 8], ["Linux", "aarch64", 8], ["Windows", "AMD64", 8], ["Windows", "AMD64", 4], ["Windows", "i586", 4]] as [$os, $m, $size]) {
    echo "$os $m $size ", Cmpay\Library::platformFor($os, $m, $size), " ", Cmpay\Library::fileNameFor($os), "\n";
}')"
python3 - "$zip" "$root/tests/dist" <<PY
import json, sys, zipfile
sys.path.insert(0, sys.argv[2])
import binfmt
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
meta = json.loads(z.read("composer.json"))
libs = sorted(n for n in names if n.startswith("lib/"))
assert meta["extra"]["cmpay"]["platforms"] == sorted({n.split("/")[1] for n in libs}, key=list(binfmt.PLATFORM_KIND).index), (meta["extra"], libs)
assert set(meta["extra"]["cmpay"]["platforms"]) == set(binfmt.PLATFORM_KIND), meta["extra"]
for k in ("homepage", "support", "authors", "license"):
    assert meta.get(k), "composer.json has no " + k
chosen = set()
for line in """$choices""".strip().splitlines():
    os_, machine, size, platform, file = line.split()
    path = "lib/%s/%s" % (platform, file)
    assert path in names, (line, path, libs)
    kind = binfmt.kind(z.read(path)[:4096])
    assert kind == binfmt.PLATFORM_KIND[platform], (path, kind)
    chosen.add(path)
    print("php %s %s %s-bit -> %s (%s)" % (os_, machine, int(size) * 8, path, kind))
assert chosen == set(libs), ("libraries no loader choice reaches", set(libs) - chosen)
PY
# Packagist's checks on what it reads at the tag: composer.json without the
# version the artifact repository needs (scripts/dist/php.sh).
mkdir -p "$work/packagist"
(cd "$work/packagist" && unzip -q "$root/$zip" composer.json && python3 -c '
import json; c = json.load(open("composer.json")); c.pop("version")
json.dump(c, open("composer.json", "w"), indent=4)' \
  && COMPOSER_HOME="$work/composer-home" composer validate --strict --no-check-lock)
mkdir -p "$work/artifacts" "$work/shop"
cp "dist/cmpay-php-$version.zip" "$work/artifacts/"
cat > "$work/shop/composer.json" <<JSON
{
    "name": "example/shop",
    "require": { "cmpay/cmpay": "^$version" },
    "repositories": [
        { "type": "artifact", "url": "$work/artifacts" },
        { "packagist.org": false }
    ],
    "minimum-stability": "stable"
}
JSON
(cd "$work/shop" && COMPOSER_HOME="$work/composer-home" COMPOSER_CACHE_DIR="$work/composer-cache" \
  composer install --no-interaction --no-progress --quiet)
pkg="$work/shop/vendor/cmpay/cmpay"
out="$(cd "$work/shop" && php -d ffi.enable=1 -r 'require "vendor/autoload.php"; echo Cmpay\Cmpay::version(), "\n", Cmpay\Library::loadedPath(), "\n";')"
[ "$(sed -n 1p <<<"$out")" = "$version" ] || { echo "FAIL cmpay version '$out', expected $version" >&2; exit 1; }
[ "$(readlink -f "$(sed -n 2p <<<"$out")")" = "$(readlink -f "$pkg/lib/linux-x86_64/libcmpay.so")" ] \
  || { echo "FAIL loaded $(sed -n 2p <<<"$out"), not the package's lib/linux-x86_64/libcmpay.so" >&2; exit 1; }
echo "composer: cmpay/cmpay $version installed, libcmpay from vendor/cmpay/cmpay/lib/linux-x86_64"
cat > "$work/bootstrap.php" <<PHP
<?php
require '$work/shop/vendor/autoload.php';
require '$root/bindings/php/tests/Support.php';
PHP
cat > "$work/phpunit.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<phpunit bootstrap="$work/bootstrap.php" colors="false" cacheResult="false" failOnRisky="true" failOnWarning="true">
  <testsuites><testsuite name="installed">
    <file>$root/bindings/php/tests/VectorsTest.php</file>
    <file>$root/bindings/php/tests/NotifyEndpointTest.php</file>
    <file>$root/bindings/php/tests/LaravelProviderTest.php</file>
  </testsuite></testsuites>
</phpunit>
XML
(cd "$work/shop" && CMPAY_PHP_EXAMPLES="$pkg/examples" CMPAY_BIN="$root/target/x86_64-unknown-linux-gnu/release/cmpay" \
  php -d ffi.enable=1 "$(command -v phpunit)" -c "$work/phpunit.xml" --colors=never)
