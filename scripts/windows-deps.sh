#!/usr/bin/env bash
# The Windows build's libraries (README.md, "Windows"), made from Debian's own source
# packages and installed into a prefix that cmake/toolchain-mingw64.cmake reads:
#   SQLite     the amalgamation generated from Debian's sqlite3 source (its patches
#              applied), compiled with mingw-w64 into libsqlite3.a
#   libsodium  Debian's source, ./configure --host=x86_64-w64-mingw32, static
#   libzstd    Debian's source, lib/Makefile's static libzstd.a (no assembly)
#   httplib.h  upstream's header-only httplib.h from Debian's cpp-httplib source
#              (Debian's binary package ships a header split from a .so)
#   nlohmann/json and Catch2: header-only, copied from Debian's packages here,
#              with CMake configs that point at the prefix
#   stb        header-only (libstb-dev), its folder copied to include/stb, the only
#              part of the prefix's include/ the core's image code adds
# zlib is Debian's libz-mingw-w64-dev (a package built for this target).
# apt-get source checks each file against the hashes in Debian's signed Sources
# index and dpkg-source against the .dsc; the versions are pinned below and a .dsc
# that says otherwise stops the script. The prefix is kept between runs: a second
# run with the same pins does nothing.
#
# Usage: scripts/windows-deps.sh [DEPS_DIR]   (default build-windows/deps)
# Needs: SOTAY_WINDOWS_DEPS=1 bash scripts/install-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SQLITE_VERSION=3.40.1-2+deb12u2
SODIUM_VERSION=1.0.18-1+deb12u1
HTTPLIB_VERSION=0.11.4+ds-1+deb12u1
ZSTD_VERSION=1.5.4+dfsg2-5
HOST=x86_64-w64-mingw32
CC=$HOST-gcc-posix
# What the core needs of SQLite (WAL, the extended result codes, sqlite3_db_config)
# is in every default build; these match Debian's choices that matter to a device.
SQLITE_FLAGS="-O2 -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_SECURE_DELETE
              -DSQLITE_MAX_SCHEMA_RETRY=25"

deps=$(realpath -m "${1:-build-windows/deps}")
prefix=$deps/prefix
pins="sqlite3=$SQLITE_VERSION libsodium=$SODIUM_VERSION cpp-httplib=$HTTPLIB_VERSION libzstd=$ZSTD_VERSION flags=$(echo $SQLITE_FLAGS)"
# stb's headers are copied on every run, so a prefix made before they were needed
# gets them without rebuilding the libraries (cheap; the host's current package).
copy_stb() {
  mkdir -p "$prefix/include/stb"
  cp /usr/include/stb/stb_image.h /usr/include/stb/stb_image_resize.h /usr/include/stb/stb_image_write.h \
     "$prefix/include/stb/"
}
if [ -f "$prefix/.pins" ] && [ "$(cat "$prefix/.pins")" = "$pins" ]; then
  copy_stb
  echo "windows deps: $prefix is up to date"
  exit 0
fi
rm -rf "$deps/src" "$prefix"
mkdir -p "$deps/src" "$prefix/include" "$prefix/lib/pkgconfig"
cd "$deps/src"

# Fetches and unpacks one source package at exactly the pinned version.
fetch() {
  local pkg=$1 version=$2
  apt-get source -qq "$pkg=$version" >/dev/null
  local dsc="${pkg}_${version#*:}.dsc"
  local got
  got=$(sed -n 's/^Version: //p' "$dsc")
  if [ "$got" != "$version" ]; then
    echo "windows deps: $dsc has version '$got', expected '$version'" >&2
    exit 1
  fi
}

echo "== windows deps: sqlite3 $SQLITE_VERSION"
fetch sqlite3 "$SQLITE_VERSION"
mkdir -p sqlite-gen
(cd sqlite-gen && ../sqlite3-3.40.1/configure --disable-tcl >/dev/null && make -s sqlite3.c >/dev/null)
# shellcheck disable=SC2086
$CC $SQLITE_FLAGS -c sqlite-gen/sqlite3.c -o sqlite-gen/sqlite3.o
$HOST-ar rcs "$prefix/lib/libsqlite3.a" sqlite-gen/sqlite3.o
cp sqlite-gen/sqlite3.h sqlite3-3.40.1/src/sqlite3ext.h "$prefix/include/"
cat > "$prefix/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$prefix
Name: SQLite
Description: SQL database engine (Debian source $SQLITE_VERSION, built for $HOST)
Version: 3.40.1
Libs: -L\${prefix}/lib -lsqlite3
Cflags: -I\${prefix}/include
EOF

echo "== windows deps: libsodium $SODIUM_VERSION"
fetch libsodium "$SODIUM_VERSION"
(cd libsodium-1.0.18 && ./autogen.sh -s >/dev/null 2>&1 &&
   ./configure -q --host=$HOST CC=$CC --prefix="$prefix" --disable-shared --enable-static \
               --disable-dependency-tracking >/dev/null &&
   make -s -j"$(nproc)" install >/dev/null 2>&1)
# A static libsodium's header must not declare its functions dllimport.
sed -i 's/^Cflags: \(.*\)$/Cflags: \1 -DSODIUM_STATIC/' "$prefix/lib/pkgconfig/libsodium.pc"

echo "== windows deps: libzstd $ZSTD_VERSION"
fetch libzstd "$ZSTD_VERSION"
# Static, single-threaded, no assembly (its .S files are for ELF) and no legacy
# formats: the device only packs and unpacks sync bodies with the pack's dictionary.
make -s -C libzstd-1.5.4+dfsg2/lib -j"$(nproc)" libzstd.a CC=$CC AR=$HOST-ar \
     ZSTD_NO_ASM=1 ZSTD_LEGACY_SUPPORT=0 ZSTD_LIB_DICTBUILDER=0 >/dev/null 2>&1
cp libzstd-1.5.4+dfsg2/lib/libzstd.a "$prefix/lib/"
cp libzstd-1.5.4+dfsg2/lib/{zstd.h,zstd_errors.h,zdict.h} "$prefix/include/"
cat > "$prefix/lib/pkgconfig/libzstd.pc" <<EOF
prefix=$prefix
Name: zstd
Description: fast lossless compression (Debian source $ZSTD_VERSION, built for $HOST)
Version: 1.5.4
Libs: -L\${prefix}/lib -lzstd
Cflags: -I\${prefix}/include
EOF

echo "== windows deps: cpp-httplib $HTTPLIB_VERSION (header-only)"
fetch cpp-httplib "$HTTPLIB_VERSION"
cp cpp-httplib-0.11.4+ds/httplib.h "$prefix/include/httplib.h"
# Plain HTTP (no OpenSSL, no brotli); zlib as on Linux, so the server's gzipped
# answers are undone as there. Winsock is ws2_32.
cat > "$prefix/lib/pkgconfig/cpp-httplib.pc" <<EOF
prefix=$prefix
Name: cpp-httplib
Description: header-only HTTP client (Debian source $HTTPLIB_VERSION)
Version: 0.11.4
Libs: -lz -lws2_32
Cflags: -I\${prefix}/include -DCPPHTTPLIB_ZLIB_SUPPORT
EOF

echo "== windows deps: nlohmann/json, Catch2 and stb headers from Debian's packages"
cp -r /usr/include/nlohmann "$prefix/include/"
cp -r /usr/include/catch2 "$prefix/include/"
copy_stb
mkdir -p "$prefix/share/cmake" "$prefix/lib/cmake/Catch2"
cp -r /usr/share/cmake/nlohmann_json "$prefix/share/cmake/"  # relocatable: found from its folder
cp /usr/lib/cmake/Catch2/{Catch2Config.cmake,Catch2ConfigVersion.cmake,Catch.cmake,CatchAddTests.cmake} \
   "$prefix/lib/cmake/Catch2/"
# Debian's Catch2Targets also names a Linux libCatch2WithMain.a: only the header here.
cat > "$prefix/lib/cmake/Catch2/Catch2Targets.cmake" <<'EOF'
add_library(Catch2::Catch2 INTERFACE IMPORTED)
set_target_properties(Catch2::Catch2 PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../../../include")
EOF

echo "$pins" > "$prefix/.pins"
echo "windows deps: ready in $prefix"
