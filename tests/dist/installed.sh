# Sourced by tests/dist/{python,php,java,dotnet}.sh, each of which installs one
# package of dist/ as a shop would: ROOT (the working directory) and VERSION
# from scripts/dist/common.sh, as for make dist; a scratch directory $work,
# removed on exit; no CMPAY_LIB, so the library must come from the package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/dist/common.sh"
root="$ROOT"
version="$VERSION"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
unset CMPAY_LIB
