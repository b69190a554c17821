#!/usr/bin/env bash
# CI: whether the shipped zstd dictionary is the one the pack trains, and
# bench/wire_bytes_bench's bytes per child, printed for the log. A few seconds.
# A dictionary trained on an older pack is only a warning: it still packs (a little
# less well), and changing it changes its id, so devices built before the change
# speak gzip with the server until they update. Retrain it deliberately, at a release.
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
  echo "warning: schemas/sync-dictionary.zdict is not what the pack trains now; at the next release," \
       "run scripts/train-sync-dictionary.sh and commit it" >&2
fi
"$build/bench/wire_bytes_bench" 500 | tail -1
