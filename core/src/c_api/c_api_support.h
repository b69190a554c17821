// What the files implementing the C API (sotay_c.h) share: the handle, and turning
// a Status or an exception into a sotay_error. Private to the core.
#pragma once

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "sotay/notebook.h"
#include "sotay/sotay_c.h"

struct sotay_notebook {
  std::unique_ptr<sotay::Notebook> nb;
};

namespace sotay::capi {

inline void Set(sotay_error* err, sotay_code code, const std::string& message) {
  if (err == nullptr) return;
  err->code = code;
  std::strncpy(err->message, message.c_str(), sizeof err->message - 1);
  err->message[sizeof err->message - 1] = '\0';
}

// 0 for OK, -1 with `err` filled otherwise.
inline int Report(sotay_error* err, const sotay::Status& s) {
  Set(err, static_cast<sotay_code>(static_cast<int>(s.code())), s.ToString());
  return s.ok() ? 0 : -1;
}

// A copy the caller releases with sotay_free_string (NULL if memory ran out).
inline char* Copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out != nullptr) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Runs `body`, turning any exception into SOTAY_INTERNAL: none may cross into C.
template <typename T, typename F>
T Guard(sotay_error* err, T fallback, F body) {
  Set(err, SOTAY_OK, "");
  try {
    return body();
  } catch (const std::exception& e) {
    Set(err, SOTAY_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    Set(err, SOTAY_INTERNAL, "internal error");
  }
  return fallback;
}

}  // namespace sotay::capi
