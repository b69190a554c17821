#!/usr/bin/env bash
# Installs what Sotay builds with, from Debian's packages only.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
pkgs="build-essential cmake ninja-build pkg-config libsqlite3-dev libsodium-dev
      nlohmann-json3-dev catch2 libcpp-httplib-dev sqlite3 libxlsxwriter-dev"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
