#!/usr/bin/env bash
# The cargo-fuzz targets of fuzz/ under libFuzzer and AddressSanitizer, on the
# nightly toolchain (scripts/install-deps.sh installs it and cargo-fuzz).
#
#   scripts/fuzz.sh run   [TARGET...]  # `make fuzz`: a long run for a person
#   scripts/fuzz.sh check [TARGET...]  # `make test-fuzz-sanitizer`: bounded, in `make test`
#
# Both build every target once, then fuzz FUZZ_JOBS targets at a time (one
# libFuzzer process each), FUZZ_SECONDS each, starting from the committed
# corpus fuzz/corpus/<target>/ (seeds from scripts/fuzz-corpus.py) plus the
# committed regressions fuzz/regressions/<target>/, which libFuzzer only reads.
#
# run:   new inputs go to a scratch folder; at the end, those that add
#        coverage over the committed corpus are merged into it (libFuzzer
#        -merge=1: the seeds stay as they are, only new files appear; review
#        them with `git status fuzz/corpus` and commit). A crash, leak, timeout
#        or out-of-memory input is copied to fuzz/regressions/<target>/, which
#        tests/fuzz.rs replays on every `cargo test`, and the run fails naming it.
# check: works on a temporary copy of the corpus, so the checkout stays clean;
#        a failing input is kept in fuzz/artifacts/<target>/ (ignored by git)
#        and its path printed, with the sanitizer's or the panic's report.
#
# Logs: fuzz/target/fuzz-logs/<mode>-<target>.log.
#
# Environment: FUZZ_SECONDS (per target; 600 for run, 15 for check),
# FUZZ_JOBS (targets fuzzed at once; default: the number of cores),
# FUZZ_TIMEOUT (seconds one input may take, 10), FUZZ_RSS_MB (2048),
# FUZZ_MAX_LEN (bytes, 71680), FUZZ_CARGO (the nightly cargo: "cargo +nightly").
#
# Why these settings:
# - --sanitizer address (cargo-fuzz's default) brings LeakSanitizer too: the
#   `bulk` target goes through the C ABI (the crate's only unsafe code), where
#   an out-of-bounds read or a handle never freed is exactly what to catch.
#   No --build-std: the standard library uninstrumented is cargo-fuzz's default
#   and builds without rust-src in a fraction of the time.
# - --release --debug-assertions (cargo-fuzz's default, spelled out): optimised
#   code runs ~10x the inputs of a debug build, and overflow checks and
#   debug_assert! stay on, so an amount that overflows is a crash, not a wrap.
# - -max_total_time bounds each target; -timeout=10 reports an input that
#   takes 10 s (libFuzzer's default, 1200 s, would let one hang eat a bounded
#   run unnoticed): every body parses at most 64 KiB (body::MAX_BODY), which
#   takes milliseconds even under ASan on a loaded machine.
# - -rss_limit_mb=2048 (libFuzzer's default, and so -malloc_limit_mb): the
#   targets peak near 500 MB under ASan; an input of at most 70 KiB that needs
#   2 GB is a denial of service worth a regression file.
# - -max_len=71680: 70 KiB, as tests/fuzz.rs, just over body::MAX_BODY so the
#   size limit itself is crossed (libFuzzer would otherwise stop at 4 KiB);
#   -len_control still starts small and grows.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
  run) default_seconds=600 ;;
  check) default_seconds=15 ;;
  *) echo "usage: $0 run|check [TARGET...]" >&2; exit 2 ;;
esac
shift
seconds=${FUZZ_SECONDS:-$default_seconds}
jobs=${FUZZ_JOBS:-$(nproc)}
read -r -a cargo <<<"${FUZZ_CARGO:-cargo +nightly}"
build_flags=(--sanitizer address --release --debug-assertions)
libfuzzer_flags=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}"
  -max_len="${FUZZ_MAX_LEN:-71680}" -print_final_stats=1)

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || { echo "fuzz: no target $t (fuzz/fuzz_targets/$t.rs)" >&2; exit 2; }
  [ -d "fuzz/corpus/$t" ] || { echo "fuzz: no seed corpus fuzz/corpus/$t (scripts/fuzz-corpus.py)" >&2; exit 2; }
done

if ! "${cargo[@]}" fuzz --version >/dev/null 2>&1; then
  echo "fuzz: '${cargo[*]} fuzz' does not run: scripts/install-deps.sh installs the nightly toolchain and cargo-fuzz" >&2
  exit 2
fi

# fuzz/ is a workspace of its own: its lock file (ignored by git) starts as a
# copy of the crate's, renewed whenever that one changes, so the library and
# its dependencies are the versions that ship (cargo adds libfuzzer-sys).
if [ ! -f fuzz/Cargo.lock ] || [ Cargo.lock -nt fuzz/Cargo.lock ]; then cp Cargo.lock fuzz/Cargo.lock; fi

start=$(date +%s)
echo "fuzz: building ${#targets[@]} targets (nightly, ASan)"
if [ $# -eq 0 ]; then
  (cd fuzz && "${cargo[@]}" fuzz build "${build_flags[@]}")
else
  for t in "${targets[@]}"; do (cd fuzz && "${cargo[@]}" fuzz build "${build_flags[@]}" "$t"); done
fi
echo "fuzz: built in $(($(date +%s) - start)) s; ${#targets[@]} targets, $seconds s each, $jobs at a time"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logs=fuzz/target/fuzz-logs
mkdir -p "$logs"

# One target: libFuzzer with its corpus, then (run) the merge. Writes
# $work/<t>.rc and leaves its artifacts in $work/artifacts/<t>/.
fuzz_one() {
  local t=$1 log corpus dirs rc
  log="$logs/$mode-$t.log"
  mkdir -p "$work/artifacts/$t"
  if [ "$mode" = check ]; then
    corpus="$work/corpus/$t"
    mkdir -p "$work/corpus" && cp -R "fuzz/corpus/$t" "$corpus"
    dirs=("$corpus")
  else
    corpus="$work/new/$t"
    mkdir -p "$corpus"
    dirs=("$corpus" "$PWD/fuzz/corpus/$t")
  fi
  [ -d "fuzz/regressions/$t" ] && dirs+=("$PWD/fuzz/regressions/$t")
  rc=0
  SECONDS=0
  (cd fuzz && "${cargo[@]}" fuzz run "${build_flags[@]}" "$t" "${dirs[@]}" -- \
    "${libfuzzer_flags[@]}" -artifact_prefix="$work/artifacts/$t/") >"$log" 2>&1 || rc=$?
  if [ "$mode" = run ] && [ -n "$(ls -A "$corpus")" ]; then
    (cd fuzz && "${cargo[@]}" fuzz run "${build_flags[@]}" "$t" "$PWD/corpus/$t" "$corpus" -- \
      -merge=1 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -max_len="${FUZZ_MAX_LEN:-71680}" \
      -artifact_prefix="$work/artifacts/$t/") >"$logs/$mode-$t-merge.log" 2>&1 \
      || echo "fuzz $t: merging the new inputs failed: $logs/$mode-$t-merge.log" >&2
  fi
  echo "$SECONDS" >"$work/$t.secs"
  echo "$rc" >"$work/$t.rc"
}

for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  if [ "$mode" = run ]; then
    echo "fuzz: $t started, $seconds s (log: $logs/$mode-$t.log)"
    before=$(find "fuzz/corpus/$t" -type f | wc -l)
    echo "$before" >"$work/$t.before"
  fi
  fuzz_one "$t" &
done
wait

failed=()
for t in "${targets[@]}"; do
  log="$logs/$mode-$t.log"
  rc=$(cat "$work/$t.rc" 2>/dev/null || echo 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | head -1)
  secs=$(cat "$work/$t.secs" 2>/dev/null || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | head -1)
  summary="${runs:-?} inputs in $secs s, coverage ${cov:-?}, peak RSS ${rss:-?} MB"
  if [ "$mode" = run ]; then
    summary+=", corpus $(cat "$work/$t.before") -> $(find "fuzz/corpus/$t" -type f | wc -l) files"
  fi
  artifacts=()
  for a in "$work/artifacts/$t"/*; do [ -f "$a" ] && artifacts+=("$a"); done
  if [ "$rc" = 0 ]; then
    echo "fuzz $t: ok, $summary"
    for a in "${artifacts[@]}"; do echo "fuzz $t: note: libFuzzer also wrote $(basename "$a") (not a failure)"; done
    continue
  fi
  failed+=("$t")
  echo
  echo "===== fuzz $t FAILED (exit $rc): $summary"
  # The report: the panic's message, or the first lines of the sanitizer's or
  # libFuzzer's (timeout, out of memory), and libFuzzer's summary; the
  # whole log stays in the file.
  awk '/^0x[0-9a-f][0-9a-f],|^Base64: / { next }
    /panicked at/ { p = 1 }
    p && /^stack backtrace:|^note: / { p = 0 }
    /ERROR: (AddressSanitizer|LeakSanitizer)|ALARM: working on|ERROR: libFuzzer: (timeout|out-of-memory)|out-of-memory \(/ { s = 1; n = 0 }
    s { print; if (++n >= 24) s = 0; next }
    p { print; next }
    /^SUMMARY: |Test unit written to|^MS: / { print }' "$log"
  if [ ${#artifacts[@]} -eq 0 ]; then
    echo "----- no input was saved; the end of $log:"
    tail -30 "$log"
    continue
  fi
  mkdir -p "fuzz/artifacts/$t"
  for a in "${artifacts[@]}"; do
    name=$(basename "$a")
    cp "$a" "fuzz/artifacts/$t/$name"
    if [ "$mode" = run ]; then
      mkdir -p "fuzz/regressions/$t"
      cp "$a" "fuzz/regressions/$t/$name"
      echo "===== fuzz $t: failing input saved as fuzz/regressions/$t/$name (replayed by every cargo test: fix, then commit it)"
    else
      echo "===== fuzz $t: failing input: fuzz/artifacts/$t/$name"
      echo "      commit it under fuzz/regressions/$t/ with the fix (tests/fuzz.rs replays that folder)"
    fi
    echo "      reproduce: cd fuzz && ${cargo[*]} fuzz run ${build_flags[*]} $t artifacts/$t/$name"
  done
done

echo "fuzz: ${#targets[@]} targets in $(($(date +%s) - start)) s, $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs in $logs/)" >&2
  exit 1
fi
