// A private temporary file, for what is too big to hold in memory on the way out: a
// workbook (libxlsxwriter 1.1 writes only to files), a province's report as CSV. Its
// name carries 128 random bits and it is made readable by the owner only; it is
// removed when its last owner lets it go, so a response still streaming it keeps it.
//
// Thread-safety: one writer; CopyTo may run from any thread once writing is done.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay::server {

// Where bytes go: false when the reader went away.
using ByteSink = std::function<bool(std::string_view)>;

class TempFile {
 public:
  // An empty file in the system's temporary directory, named sotay-<hex><extension>.
  // `what` names the file in errors ("the report workbook").
  static Result<std::shared_ptr<TempFile>> Create(const std::string& what, const std::string& extension);

  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }
  const std::string& what() const { return what_; }

  // The file's size; IOError when it cannot be read.
  Result<int64_t> Size() const;
  // Writes the file from the start: `produce` is handed a sink that appends to it.
  // IOError when the disk refuses (full, gone); else what `produce` returned.
  Status Fill(const std::function<Status(const ByteSink&)>& produce);
  // Sends the file through `write` 64 KiB at a time. FailedPrecondition when `write`
  // says the reader went away, IOError when the file cannot be read.
  Status CopyTo(const ByteSink& write) const;
  // The whole file, for one small enough to hold.
  Result<std::string> ReadAll() const;

 private:
  TempFile() = default;
  std::string what_, path_, dir_;
};

}  // namespace sotay::server
