#!/usr/bin/env bash
# Builds the Debian packages sotay and sotay-server into build-pkg/ (cmake/packaging.cmake,
# docs/deploy/debian.md). A build of its own, not build/: the binaries must carry the
# installed form pack's path (/usr/share/sotay/schemas) rather than this checkout's,
# and no tests or benches are built. RelWithDebInfo as build/ (the same optimisation
# CI tests; ccache reuses its objects), stripped by CPack. Prints the two .deb paths.
# Extra args go to cmake (e.g. -DCMAKE_CXX_COMPILER_LAUNCHER=ccache).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SOTAY_PKG_BUILD_DIR:-build-pkg}
launcher=()  # build/'s objects, through ccache when installed (scripts/build.sh)
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$out" -G Ninja "${launcher[@]}" -DSOTAY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_INSTALL_PREFIX=/usr -DSOTAY_SCHEMAS_DIR=/usr/share/sotay/schemas \
      -DSOTAY_BUILD_TESTS=OFF -DSOTAY_BUILD_BENCH=OFF -DSOTAY_C_EXAMPLE=OFF "$@" >/dev/null
cmake --build "$out" -j"$(nproc)" --target sotay sotay-server
rm -f "$out"/*.deb
(cd "$out" && cpack -G DEB >/dev/null)
ls "$out"/sotay_*.deb "$out"/sotay-server_*.deb
