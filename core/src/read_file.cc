#include "sotay/read_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sotay {

Result<std::string> ReadWholeFile(const std::string& path, const std::string& what) {
  // u8path: on Windows a plain string would be read in the ANSI code page.
  std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": cannot read " + what);
  return text.str();
}

}  // namespace sotay
