// A zip archive written as it goes (the export's files, page_export.cc): each entry
// stored as it is (photos are compressed already; the CSV is small beside them),
// its CRC-32 and size in a data descriptor after its bytes, so no entry is ever
// held whole and nothing is written twice; the central directory at the end. No
// Zip64: an archive stops with an error past 4 GiB or 65,535 entries. Names are
// UTF-8 (flag bit 11).
//
// Thread-safety: none; one archive, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay::server::web {

class ZipStream {
 public:
  // `sink` takes the archive's bytes in order; false: the reader went away.
  using Sink = std::function<bool(std::string_view)>;
  // `dos_time`: the entries' time, as zip keeps it (DosTime).
  ZipStream(Sink sink, uint32_t dos_time) : sink_(std::move(sink)), dos_time_(dos_time) {}

  Status Begin(const std::string& name);
  Status Write(std::string_view bytes);
  Status End();     // the entry begun last
  Status Finish();  // the central directory: the archive is whole

  // A UTC time in milliseconds as zip's DOS date and time.
  static uint32_t DosTime(int64_t utc_ms);

 private:
  struct Entry {
    std::string name;
    uint32_t crc = 0, size = 0, offset = 0;
  };
  Status Put(std::string_view bytes);
  Sink sink_;
  uint32_t dos_time_;
  uint64_t offset_ = 0;
  std::vector<Entry> entries_;
  bool open_ = false;
};

}  // namespace sotay::server::web
