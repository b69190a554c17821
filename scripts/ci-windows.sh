#!/usr/bin/env bash
# CI's Windows step (README.md, "Windows"): the device's parts (core, C API, sotay.exe,
# the unit tests) cross-built with mingw-w64 against SQLite and libsodium built from
# Debian's source packages (scripts/windows-deps.sh, kept in build-windows/deps), then
# the unit tests run under Wine: the Catch2 binary once, in one Wine process, since
# each Wine start costs seconds. One -O2 build, no debug info: this is a portability
# check, the sanitizer runs are on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

SOTAY_WINDOWS_DEPS=1 bash scripts/install-deps.sh

bash scripts/windows-deps.sh build-windows/deps

echo "== windows: build (mingw-w64, -O2, -Werror)"
cmake -S . -B build-windows/build -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw64.cmake \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DSOTAY_DEVICE_ONLY=ON -DSOTAY_WERROR=ON -DSOTAY_BUILD_BENCH=OFF >/dev/null
cmake --build build-windows/build -j"$(nproc)"

echo "== windows: unit tests under Wine"
# A Wine prefix of its own, made once: the first start sets it up (slow), the
# next ones reuse it. No display: the tests are console programs.
export WINEPREFIX="$PWD/build-windows/wine" WINEDEBUG=-all DISPLAY=
wine=$(command -v wine || command -v wine-stable)
"$wine" build-windows/build/tests/sotay_unit_tests.exe --warn NoTests

echo "== windows: sotay.exe runs and speaks Vietnamese"
"$wine" build-windows/build/client-shell/sotay.exe --help | grep -q "Sổ tay ở"

exe=build-windows/build/client-shell/sotay.exe
x86_64-w64-mingw32-strip -o build-windows/sotay-stripped.exe "$exe"
echo "sotay.exe: $(stat -c %s build-windows/sotay-stripped.exe) bytes stripped"
echo "== windows step: $(( $(date +%s) - start )) s"
