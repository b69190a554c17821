// Reading a whole file into memory: forms, areas lists, import files, answers files.
// The one way every program here does it, so each failure says the same thing: the
// path, the thing it is and the reason.
//
// Thread-safety: a free function; safe from any thread.
#pragma once

#include <string>

#include "sotay/status.h"

namespace sotay {

// The bytes of the file at `path`. NotFound "<path>: cannot open <what>" when it
// cannot be opened, IOError "<path>: cannot read <what>" when reading fails.
Result<std::string> ReadWholeFile(const std::string& path, const std::string& what = "the file");

}  // namespace sotay
