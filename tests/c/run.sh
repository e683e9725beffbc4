#!/usr/bin/env bash
# Runs tests/c/test_abi twice, each time with the gateway simulator
# (`cmpay sandbox`) on a free loopback port for the client's success paths:
#  1. under valgrind (zero errors, nothing definitely or indirectly lost),
#     against a plain-HTTP sandbox: ring's assembly (TLS record encryption)
#     gives valgrind false "uninitialised" reports, so TLS stays out of it;
#  2. natively against an HTTPS sandbox, trusting its CA through
#     cmpay_config_add_ca_pem (and refused without it: CMPAY_TLS).
# Both sandboxes are started here and stopped here, by their pids.
# usage: tests/c/run.sh TEST_BINARY CMPAY_BINARY
set -uo pipefail
test_bin=$1
cmpay_bin=$2
dir=target/c
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done' EXIT

http_endpoint=
https_endpoint=
"$cmpay_bin" sandbox --port 0 >"$dir/sandbox-http.log" 2>&1 &
pids+=($!)
"$cmpay_bin" sandbox --port 0 --https --ca-out "$dir/sandbox-https-ca.pem" >"$dir/sandbox-https.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  http_endpoint=$(sed -n 's/^endpoint: *//p' "$dir/sandbox-http.log" | head -1)
  https_endpoint=$(sed -n 's/^endpoint: *//p' "$dir/sandbox-https.log" | head -1)
  [ -n "$http_endpoint" ] && [ -n "$https_endpoint" ] && [ -s "$dir/sandbox-https-ca.pem" ] && break
  sleep 0.2
done

args_http=()
args_https=()
if [ -n "$http_endpoint" ]; then args_http=("$http_endpoint" -); else echo "warning: the HTTP sandbox did not start (see $dir/sandbox-http.log)" >&2; fi
if [ -n "$https_endpoint" ] && [ -s "$dir/sandbox-https-ca.pem" ]; then
  args_https=("$https_endpoint" "$dir/sandbox-https-ca.pem")
else
  echo "warning: the HTTPS sandbox did not start (see $dir/sandbox-https.log)" >&2
fi

# test_abi writes its key files (a folder named 商户密钥, CRLF files) here.
export CMPAY_TEST_SCRATCH="$dir/scratch"
rm -rf "$CMPAY_TEST_SCRATCH"

echo "== under valgrind (sandbox over HTTP)"
valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect "$test_bin" tests/data "${args_http[@]}" || exit 1
echo "== natively (sandbox over HTTPS, its CA added)"
"$test_bin" tests/data "${args_https[@]}"
