// What the fuzz targets share: the input as a string_view, and a check that stops
// the run (libFuzzer then saves the input) when a property of the code under test
// does not hold, e.g. a value that decoded does not decode again once encoded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/edit.h"

#define FUZZ_CHECK(cond)                                                          \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                        \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

namespace sotay::fuzz {

inline std::string_view Input(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

inline bool SameEdit(const Edit& a, const Edit& b) {
  return a.dot == b.dot && a.record == b.record && a.field == b.field && a.value == b.value &&
         a.hlc.ms == b.hlc.ms && a.hlc.counter == b.hlc.counter && a.hlc.device == b.hlc.device &&
         a.base == b.base && a.author == b.author;
}

inline bool SameEdits(const std::vector<Edit>& a, const std::vector<Edit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameEdit(a[i], b[i])) return false;
  }
  return true;
}

// The same dots as a set: order and repeats aside.
inline bool SameDots(std::vector<Dot> a, std::vector<Dot> b) {
  for (auto* v : {&a, &b}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return a == b;
}

// Splits `in` at the first `sep`: the part before goes to *head, the rest is returned.
inline std::string_view TakeUntil(std::string_view in, char sep, std::string_view* head) {
  const size_t at = in.find(sep);
  if (at == std::string_view::npos) {
    *head = in;
    return {};
  }
  *head = in.substr(0, at);
  return in.substr(at + 1);
}

}  // namespace sotay::fuzz
