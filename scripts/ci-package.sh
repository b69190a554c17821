#!/usr/bin/env bash
# CI step for issue 18's product work: the C example (examples/c) built against the
# C API and run against a real server on loopback, then the .deb packages built
# (scripts/package.sh) and checked unpacked (tests/deploy/package_test.sh).
# Reuses build/ from .ci/run for the example; the packages need a build of their own
# (scripts/package.sh says why), without tests or benches.
set -euo pipefail
cd "$(dirname "$0")/.."
SOTAY_PACKAGE_DEPS=1 bash scripts/install-deps.sh
start=$(date +%s)

echo "== the C example against a real server (docs/c-api.md)"
cmake -S . -B build -DSOTAY_C_EXAMPLE=ON >/dev/null
cmake --build build -j"$(nproc)" --target sotay_c_example_tests
ctest --test-dir build --output-on-failure -R '^c example:'

echo "== the .deb packages (docs/deploy/debian.md)"
bash scripts/package.sh
bash tests/deploy/package_test.sh build-pkg

echo "== ci-package: $(($(date +%s) - start)) s"
