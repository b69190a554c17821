#include "admin/temp_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <sodium.h>

#include "sotay/read_file.h"

namespace sotay::server {

Result<std::shared_ptr<TempFile>> TempFile::Create(const std::string& what, const std::string& extension) {
  unsigned char rnd[16];
  randombytes_buf(rnd, sizeof rnd);
  char hex[2 * sizeof rnd + 1];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) return Status::IOError("no temporary directory for " + what);
  std::shared_ptr<TempFile> file(new TempFile());
  file->what_ = what;
  file->dir_ = dir.string();
  file->path_ = (dir / ("sotay-" + std::string(hex) + extension)).string();
  // O_EXCL: never an existing file, even one a stranger placed there; 0600 from the
  // start, so no other account reads a child's records while it is written.
  const int fd = ::open(file->path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    file->path_.clear();
    return Status::IOError("could not make a temporary file for " + what + " in " + file->dir_);
  }
  ::close(fd);
  return file;
}

TempFile::~TempFile() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

Result<int64_t> TempFile::Size() const {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path_, ec);
  if (ec) return Status::IOError(path_ + ": cannot read " + what_);
  return static_cast<int64_t>(n);
}

Status TempFile::Fill(const std::function<Status(const ByteSink&)>& produce) {
  std::FILE* f = std::fopen(path_.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path_ + ": cannot write " + what_);
  bool written = true;
  Status s = produce([&](std::string_view bytes) {
    written = written && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return written;
  });
  written = std::fclose(f) == 0 && written;
  if (!written) return Status::IOError(path_ + ": cannot write " + what_ + " (is the disk full?)");
  return s;
}

Status TempFile::CopyTo(const ByteSink& write) const {
  std::FILE* f = std::fopen(path_.c_str(), "rb");
  if (f == nullptr) return Status::IOError(path_ + ": cannot open " + what_);
  std::string buf(64 * 1024, '\0');
  Status s;
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n > 0 && !write(std::string_view(buf.data(), n))) {
      s = Status::FailedPrecondition("the reader of " + what_ + " went away");
      break;
    }
    if (n < buf.size()) {
      if (std::ferror(f)) s = Status::IOError(path_ + ": cannot read " + what_);
      break;
    }
  }
  std::fclose(f);
  return s;
}

Result<std::string> TempFile::ReadAll() const { return ReadWholeFile(path_, what_); }

}  // namespace sotay::server
