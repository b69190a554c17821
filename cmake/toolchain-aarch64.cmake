# Cross build for arm64 Linux (the phones' CPU) with Debian's cross compiler
# (g++-aarch64-linux-gnu) and the arm64 libraries installed through multiarch
# (dpkg --add-architecture arm64; libsqlite3-dev:arm64, libsodium-dev:arm64, ...).
# scripts/ci-arm64.sh uses it; README.md, "Portability", says how to by hand.
# The tests run under qemu-user: CMAKE_CROSSCOMPILING_EMULATOR is what ctest and
# Catch's test discovery put in front of every arm64 program they start.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Multiarch keeps arm64 libraries in /usr/lib/aarch64-linux-gnu beside the host's;
# this makes find_library and find_package look there and not in x86_64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config reads only the arm64 .pc files (and the arch-independent ones), never
# the host's, so sqlite3, libsodium and cpp-httplib resolve to their arm64 builds.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# -L /: the loader and libc of the arm64 libc6 installed through multiarch, the same
# build as the libraries beside it. The cross toolchain's own loader
# (/usr/aarch64-linux-gnu, libc6-arm64-cross) is another glibc build: mixed with the
# multiarch libc, every new thread hangs in pthread_create.
find_program(SOTAY_QEMU_AARCH64 qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${SOTAY_QEMU_AARCH64};-L;/")
