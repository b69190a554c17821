#!/usr/bin/env bash
# Installs what Sotay builds with, from Debian's packages only.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
pkgs="build-essential cmake ninja-build pkg-config libsqlite3-dev libsodium-dev
      nlohmann-json3-dev catch2 libcpp-httplib-dev sqlite3 libxlsxwriter-dev python3"
# The browser tests: Debian's Chromium, and Node.js with npm for playwright-core
# (a machine that already has a node, e.g. from NodeSource, keeps it).
if [ "${SOTAY_BROWSER_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs chromium"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
fi
# The deployment test runs Debian's nginx in front of the server (docs/deploy/).
# Installing the package may start nginx on port 80 where services start on install.
if [ "${SOTAY_NGINX_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs nginx"
fi
# The fuzz targets (scripts/fuzz.sh): clang, and libFuzzer's and the sanitizers'
# runtimes, which Debian 12 ships in libclang-rt-14-dev.
if [ "${SOTAY_FUZZ_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs clang libclang-rt-14-dev"
fi
# The arm64 cross build and its tests under qemu-user (scripts/ci-arm64.sh): Debian's
# cross compiler, and the arm64 builds of the libraries installed beside the host's
# through multiarch (headers-only JSON and Catch2 come from the host's packages).
if [ "${SOTAY_ARM64_DEPS:-0}" = 1 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  pkgs="$pkgs g++-aarch64-linux-gnu qemu-user libsqlite3-dev:arm64 libsodium-dev:arm64
        zlib1g-dev:arm64 libcpp-httplib-dev:arm64"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
