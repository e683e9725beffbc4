# Sourced by scripts/dist/cross.sh and tests/dist/cross.sh (after common.sh):
# the cached Debian 13 "trixie" chroot in target/trixie-root with the cross
# toolchain, and `in_trixie CMD...`, which runs a command in it with the
# checkout at /src (bind mount) and /proc mounted; both are unmounted on exit.
TRIXIE="$ROOT/target/trixie-root"
TRIXIE_PKGS=(rustc-web cargo-web rust-web-src
  gcc-mingw-w64-x86-64-posix gcc-mingw-w64-i686-posix binutils-mingw-w64
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu
  llvm ca-certificates)

trixie_ensure() {
  local mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}" t0=$SECONDS log="$ROOT/target/trixie-debootstrap.log"
  mkdir -p "$ROOT/target"
  if [ ! -f "$TRIXIE/.complete" ]; then
    command -v debootstrap >/dev/null || flock /tmp/apt.lock apt-get install -y -qq --no-install-recommends debootstrap
    local m
    for m in "$TRIXIE/src" "$TRIXIE/proc"; do
      # Never rm -rf through a bind mount of the checkout.
      if mountpoint -q "$m" 2>/dev/null; then umount "$m" || { echo "FAIL $m is still mounted" >&2; exit 1; }; fi
    done
    rm -rf "$TRIXIE"
    debootstrap --variant=minbase trixie "$TRIXIE" "$mirror" > "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
    touch "$TRIXIE/.complete"
  fi
  if [ "$(cat "$TRIXIE/.pkgs" 2>/dev/null)" != "${TRIXIE_PKGS[*]}" ]; then
    cp /etc/resolv.conf "$TRIXIE/etc/resolv.conf"
    { chroot "$TRIXIE" apt-get update -qq &&
      chroot "$TRIXIE" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${TRIXIE_PKGS[@]}" &&
      chroot "$TRIXIE" apt-get clean; } >> "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
    echo "${TRIXIE_PKGS[*]}" > "$TRIXIE/.pkgs"
    echo "trixie chroot (target/trixie-root) ready in $((SECONDS - t0)) s"
  fi
}

# Unmounts what this process mounted (another script may be using the chroot).
TRIXIE_MOUNTED=()
trixie_umount() {
  local m
  for m in "${TRIXIE_MOUNTED[@]}"; do umount "$m" 2>/dev/null || umount -l "$m"; done
  TRIXIE_MOUNTED=()
}

trixie_mount() {
  mkdir -p "$TRIXIE/src" "$TRIXIE/proc"
  mountpoint -q "$TRIXIE/src" || { mount --bind "$ROOT" "$TRIXIE/src" && TRIXIE_MOUNTED+=("$TRIXIE/src"); }
  mountpoint -q "$TRIXIE/proc" || { mount -t proc proc "$TRIXIE/proc" && TRIXIE_MOUNTED+=("$TRIXIE/proc"); }
  trap trixie_umount EXIT
}

# in_trixie [VAR=value...] CMD...: CMD in /src, with a clean environment but
# the host's network settings (proxy variables, the CAs it trusts), which
# cargo needs to fetch crates from crates.io.
in_trixie() {
  local net=()
  for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && net+=("$v=${!v}")
  done
  cp /etc/resolv.conf "$TRIXIE/etc/resolv.conf"
  cp "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$TRIXIE/etc/ssl/host-ca.pem"
  chroot "$TRIXIE" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
    CARGO_HTTP_CAINFO=/etc/ssl/host-ca.pem SSL_CERT_FILE=/etc/ssl/host-ca.pem "${net[@]}" \
    /bin/sh -c 'cd /src && exec env "$@"' sh "$@"
}
