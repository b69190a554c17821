#!/usr/bin/env bash
# Trains the zstd dictionary the form pack ships (schemas/sync-dictionary.zdict,
# sotay/zstd.h) from the pack's forms alone: bench/wire_bytes_bench --train makes
# records of every form with seeded ids and answers from each field's choices, and
# zstd's fastCover trainer, single-threaded, makes the dictionary. The same pack gives
# the same bytes, so the checked-in file can be checked: run this after changing a
# form of schemas/ and commit the new file (device and server must then be upgraded
# together for zstd; until both are, they speak gzip).
#
#   scripts/train-sync-dictionary.sh [BUILD_DIR] [OUT]   (default build/, the pack's file)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target wire_bytes_bench >/dev/null
"$build/bench/wire_bytes_bench" --train "${2:-schemas/sync-dictionary.zdict}"
