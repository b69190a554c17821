#!/usr/bin/env bash
# Installs what Sotay builds with, from Debian's packages only.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
pkgs="build-essential cmake ninja-build pkg-config libsqlite3-dev libsodium-dev libpq-dev
      nlohmann-json3-dev catch2 libcpp-httplib-dev sqlite3 libxlsxwriter-dev python3 ccache
      libzstd-dev libstb-dev"
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
# The server tests on PostgreSQL (scripts/pg-test-cluster.sh): Debian's server, whose
# initdb and pg_ctl make a cluster of the tests' own (the package's own cluster may
# start on install; the tests never use it).
if [ "${SOTAY_POSTGRES_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs postgresql"
fi
# The fuzz targets (scripts/fuzz.sh): clang, and libFuzzer's and the sanitizers'
# runtimes, which Debian 12 ships in libclang-rt-14-dev.
if [ "${SOTAY_FUZZ_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs clang libclang-rt-14-dev"
fi
# The C example's HTTP (libcurl), and what the package step uses: dpkg-shlibdeps
# (dpkg-dev) for the packages' Depends, systemd-analyze, curl (scripts/ci-package.sh).
if [ "${SOTAY_PACKAGE_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs libcurl4-openssl-dev dpkg-dev systemd curl"
fi
# The Windows cross build (scripts/ci-windows.sh): mingw-w64 with posix threads, zlib
# built for that target, Wine for the tests, and what `apt-get source` and SQLite's
# amalgamation need (dpkg-dev, tcl), and libsodium's autogen.sh (autotools). SQLite, libsodium and cpp-httplib come from
# Debian's source packages, reached through the deb-src entry written here.
refresh=0
if [ "${SOTAY_WINDOWS_DEPS:-0}" = 1 ]; then
  pkgs="$pkgs g++-mingw-w64-x86-64-posix libz-mingw-w64-dev wine wine64 dpkg-dev tcl xz-utils
        autoconf automake libtool"
  src=/etc/apt/sources.list.d/sotay-deb-src.sources
  if [ ! -f "$src" ]; then
    $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-cache showsrc sqlite3 2>/dev/null | grep -q '^Package:' || refresh=1
fi
# The arm64 cross build and its tests under qemu-user (scripts/ci-arm64.sh): Debian's
# cross compiler, and the arm64 builds of the libraries installed beside the host's
# through multiarch (headers-only JSON, Catch2 and stb come from the host's packages).
if [ "${SOTAY_ARM64_DEPS:-0}" = 1 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  pkgs="$pkgs g++-aarch64-linux-gnu qemu-user libsqlite3-dev:arm64 libsodium-dev:arm64
        zlib1g-dev:arm64 libzstd-dev:arm64 libcpp-httplib-dev:arm64"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] || [ "$refresh" = 1 ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  [ -z "$missing" ] || $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
