#!/usr/bin/env bash
# CI: the shipped zstd dictionary is the one the pack trains (schemas/ changed
# without scripts/train-sync-dictionary.sh fails here), and bench/wire_bytes_bench's
# bytes per child, printed for the log. A few seconds.
#
#   scripts/ci-bytes.sh [BUILD_DIR]      (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
echo "== wire bytes (the pack's zstd dictionary, bytes per child)"
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
bash scripts/train-sync-dictionary.sh "$build" "$fresh" >/dev/null
if ! cmp -s "$fresh" schemas/sync-dictionary.zdict; then
  echo "schemas/sync-dictionary.zdict is not what the pack trains: run scripts/train-sync-dictionary.sh and commit it" >&2
  exit 1
fi
"$build/bench/wire_bytes_bench" 500 | tail -1
