// A zip archive written as it goes (web/zip_stream.h; PKWARE APPNOTE 6.3, stored
// entries with data descriptors).
#include "web/zip_stream.h"

#include <zlib.h>

#include <ctime>

namespace sotay::server::web {

namespace {

constexpr uint64_t kMaxOffset = 0xFFFFFFFFull;
constexpr uint16_t kFlags = (1u << 3) | (1u << 11);  // sizes after the data; UTF-8 names
constexpr uint16_t kVersion = 20;

void U16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void U32(std::string& out, uint32_t v) {
  U16(out, v & 0xFFFF);
  U16(out, v >> 16);
}

}  // namespace

uint32_t ZipStream::DosTime(int64_t utc_ms) {
  const std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const uint32_t date = static_cast<uint32_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  const uint32_t time = static_cast<uint32_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  return (date << 16) | time;
}

Status ZipStream::Put(std::string_view bytes) {
  if (offset_ + bytes.size() > kMaxOffset) {
    return Status::FailedPrecondition("the export's zip would pass 4 GiB, more than a zip without Zip64 holds");
  }
  if (!sink_(bytes)) return Status::IOError("the export's zip: the download was broken off");
  offset_ += bytes.size();
  return Status::OK();
}

Status ZipStream::Begin(const std::string& name) {
  if (entries_.size() >= 0xFFFF) return Status::FailedPrecondition("the export's zip would pass 65,535 files");
  Entry e;
  e.name = name;
  e.offset = static_cast<uint32_t>(offset_);
  e.crc = static_cast<uint32_t>(crc32(0L, Z_NULL, 0));
  std::string h;
  U32(h, 0x04034b50);
  U16(h, kVersion);
  U16(h, kFlags);
  U16(h, 0);  // stored
  U32(h, dos_time_);
  U32(h, 0);  // CRC, sizes: in the data descriptor
  U32(h, 0);
  U32(h, 0);
  U16(h, static_cast<uint32_t>(name.size()));
  U16(h, 0);
  h += name;
  entries_.push_back(std::move(e));
  open_ = true;
  return Put(h);
}

Status ZipStream::Write(std::string_view bytes) {
  Entry& e = entries_.back();
  e.crc = static_cast<uint32_t>(crc32(e.crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
  e.size += static_cast<uint32_t>(bytes.size());
  return Put(bytes);
}

Status ZipStream::End() {
  const Entry& e = entries_.back();
  open_ = false;
  std::string d;
  U32(d, 0x08074b50);
  U32(d, e.crc);
  U32(d, e.size);
  U32(d, e.size);
  return Put(d);
}

Status ZipStream::Finish() {
  if (open_) {
    Status s = End();
    if (!s.ok()) return s;
  }
  const uint64_t start = offset_;
  std::string cd;
  for (const Entry& e : entries_) {
    U32(cd, 0x02014b50);
    U16(cd, (3u << 8) | kVersion);  // made by: Unix
    U16(cd, kVersion);
    U16(cd, kFlags);
    U16(cd, 0);
    U32(cd, dos_time_);
    U32(cd, e.crc);
    U32(cd, e.size);
    U32(cd, e.size);
    U16(cd, static_cast<uint32_t>(e.name.size()));
    U16(cd, 0);
    U16(cd, 0);
    U16(cd, 0);
    U16(cd, 0);
    U32(cd, 0100600u << 16);  // a regular file, owner-only when unpacked
    U32(cd, e.offset);
    cd += e.name;
  }
  std::string end;
  U32(end, 0x06054b50);
  U16(end, 0);
  U16(end, 0);
  U16(end, static_cast<uint32_t>(entries_.size()));
  U16(end, static_cast<uint32_t>(entries_.size()));
  U32(end, static_cast<uint32_t>(cd.size()));
  U32(end, static_cast<uint32_t>(start));
  U16(end, 0);
  return Put(cd + end);
}

}  // namespace sotay::server::web
