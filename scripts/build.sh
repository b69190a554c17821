#!/usr/bin/env bash
# Configures and builds into build/ (warnings are errors). Extra args go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache, when installed, lets a second configuration of the same sources (the
# packages' build, scripts/package.sh) reuse these objects: paths are hashed relative
# to the checkout.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -G Ninja -DSOTAY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
cmake --build build -j"$(nproc)"
