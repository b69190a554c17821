#!/usr/bin/env bash
# CI: the device side (core, C API, the shell `sotay`, the unit and C-API tests)
# cross-built for arm64, the phones' CPU, and its tests run under qemu-user
# (README.md, "Portability"). One -O2 build without sanitizers or benchmarks, so the
# step stays short on CI's 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SOTAY_ARM64_DEPS=1 bash scripts/install-deps.sh
jobs=$(nproc)
start=$SECONDS

echo "== build (arm64, -O2, -Werror)"
cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake \
      -DSOTAY_DEVICE_ONLY=ON -DSOTAY_BUILD_BENCH=OFF -DSOTAY_WERROR=ON \
      -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
      "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build build-arm64 -j"$jobs"
# A host compiler picked up by mistake would make the tests below prove nothing.
for bin in build-arm64/client-shell/sotay build-arm64/tests/sotay_unit_tests; do
  readelf -h "$bin" | grep -q 'Machine:.*AArch64' || { echo "$bin is not an arm64 program" >&2; exit 1; }
done

echo "== tests (arm64 under qemu-aarch64)"
# Every unit case, the disk-fault loops included, in one qemu process (a start costs
# a second): about 4 minutes on 2 cores.
ctest --test-dir build-arm64 --output-on-failure --timeout 1200 -j"$jobs"
qemu-aarch64 -L / build-arm64/client-shell/sotay --help >/dev/null
echo "arm64 build and tests: $((SECONDS - start)) s"
