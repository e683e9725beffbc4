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
