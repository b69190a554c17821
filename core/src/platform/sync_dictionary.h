// The bytes of schemas/sync-dictionary.zdict, built into the library by CMake
// (core/CMakeLists.txt writes sync_dictionary_data.cc from the file), so device and
// server hold the very dictionary the pack ships.
#pragma once

#include <string_view>

namespace sotay {

std::string_view SyncDictionaryBytes();

}  // namespace sotay
