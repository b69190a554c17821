# Cross build for 64-bit Windows with Debian's mingw-w64, the posix thread model (the
# core and the shell use std::thread and std::mutex, which the win32 model lacks).
# SQLite, libsodium and the header-only libraries come from the prefix that
# scripts/ci-windows.sh builds from Debian's source packages (README.md, "Windows");
# pass it as -DSOTAY_WINDOWS_PREFIX=<prefix> (default: build-windows/deps/prefix). Nothing from the build machine's
# /usr/include or /usr/lib is seen: Linux headers would shadow mingw's.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(SOTAY_MINGW x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SOTAY_MINGW}-gcc-posix)
set(CMAKE_CXX_COMPILER ${SOTAY_MINGW}-g++-posix)
set(CMAKE_RC_COMPILER ${SOTAY_MINGW}-windres)

# Tests run under Wine (ctest and add_test use the emulator for a target's command).
find_program(SOTAY_WINE NAMES wine wine-stable)
if(SOTAY_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SOTAY_WINE})
endif()

if(NOT SOTAY_WINDOWS_PREFIX)
  set(SOTAY_WINDOWS_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../build-windows/deps/prefix")
endif()
# The mingw runtime (zlib from Debian's libz-mingw-w64-dev lives there), then the prefix.
set(CMAKE_FIND_ROOT_PATH /usr/${SOTAY_MINGW} ${SOTAY_WINDOWS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config reads only the prefix's .pc files (sqlite3.pc, libsodium.pc).
set(ENV{PKG_CONFIG_LIBDIR} "${SOTAY_WINDOWS_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Debian's libz-mingw-w64-dev has an import library too: the static one, no zlib1.dll.
set(ZLIB_LIBRARY /usr/${SOTAY_MINGW}/lib/libz.a CACHE FILEPATH "zlib for Windows, static")
set(ZLIB_INCLUDE_DIR /usr/${SOTAY_MINGW}/include CACHE PATH "zlib's header for Windows")
# stb's headers (header-only), copied into the prefix by scripts/windows-deps.sh:
# only this folder goes on the include path.
set(SOTAY_STB_INCLUDE_DIR ${SOTAY_WINDOWS_PREFIX}/include/stb CACHE PATH "stb's headers for Windows")
# One self-contained .exe: no libstdc++/libgcc/winpthread DLLs to ship beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
