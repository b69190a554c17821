// Checks that a file is readable by its owner alone (platform/file_mode.h): mode
// 0600 on Linux, a protected DACL that allows this user only on Windows.
//
// Wine keeps no DACL a program sets on a file: it shows one made from the Unix mode
// (SYSTEM, the user, and Everyone when others may read), so what a protected DACL
// grants can be seen on Windows itself only. Under Wine the check says so in a
// warning and passes; IsOwnerOnly must still read the DACL without error.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "platform/file_mode.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace sotay::testing {

inline bool DaclsAreWines() {
#ifdef _WIN32
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
#else
  return false;
#endif
}

inline void CheckOwnerOnly(const std::string& path) {
  auto only = store::IsOwnerOnly(path);
  INFO(path << ": " << only.status().ToString());
  REQUIRE(only.ok());
  if (DaclsAreWines()) {
    WARN("under Wine: the DACL of " << path << " is derived from its Unix mode, not checked");
    return;
  }
  CHECK(*only);
}

}  // namespace sotay::testing
