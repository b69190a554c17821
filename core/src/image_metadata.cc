// JPEG segments and PNG chunks walked and filtered (image_metadata.h). Every length
// read from the file is checked against what is left before it is used.
#include "image_metadata.h"

#include <cstdint>
#include <cstring>

namespace sotay::image {

namespace {

uint8_t At(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }
uint32_t Be16(std::string_view s, size_t i) { return (uint32_t{At(s, i)} << 8) | At(s, i + 1); }
uint32_t Be32(std::string_view s, size_t i) { return (Be16(s, i) << 16) | Be16(s, i + 2); }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool Mentions(std::string_view s, std::string_view word) { return s.find(word) != std::string_view::npos; }

// A dropped JPEG segment's payload: what it said about the photo.
void Note(Stripped& out, uint8_t marker, std::string_view payload) {
  out.had_metadata = true;
  if (marker == 0xE1 && StartsWith(payload, std::string_view("Exif\0\0", 6))) {
    bool gps = false;
    out.orientation = ExifOrientation(payload.substr(6), &gps);
    if (gps) out.had_location = true;
  }
  if (Mentions(payload, "GPSLatitude") || Mentions(payload, "GPSLongitude")) out.had_location = true;
}

bool KeptApp(uint8_t marker, std::string_view payload) {
  return marker == 0xEE && StartsWith(payload, "Adobe");  // how to read the colours; nothing personal
}

// A bit for each Huffman table a DHT can define: DC tables 0..3, then AC tables 0..3.
uint8_t HuffmanTableBit(uint8_t table_class, uint8_t id) { return static_cast<uint8_t>(1u << (table_class * 4 + id)); }

// Whether a DHT segment's tables each declare at most 256 symbols, all present;
// adds the tables it defines to `*defined`.
bool GoodHuffmanTables(std::string_view payload, uint8_t* defined) {
  size_t at = 0;
  while (at < payload.size()) {
    if (payload.size() - at < 17) return false;
    const uint8_t q = At(payload, at);
    if ((q >> 4) > 1 || (q & 15) > 3) return false;
    size_t n = 0;
    for (size_t i = 1; i <= 16; ++i) n += At(payload, at + i);
    if (n > 256 || payload.size() - at - 17 < n) return false;
    *defined |= HuffmanTableBit(q >> 4, q & 15);
    at += 17 + n;
  }
  return true;
}

// Whether every component of a scan (an SOS payload) names DC and AC tables that a
// DHT before it defined. stb 2.27 allocates its tables without clearing them, so a
// scan naming an undefined one decodes with whatever the heap held there.
bool ScanTablesDefined(std::string_view payload, uint8_t defined) {
  if (payload.empty()) return false;
  const size_t components = At(payload, 0);
  if (components == 0 || payload.size() < 1 + 2 * components) return false;
  for (size_t c = 0; c < components; ++c) {
    const uint8_t tables = At(payload, 2 + 2 * c);
    const uint8_t dc = tables >> 4, ac = tables & 15;
    if (dc > 3 || ac > 3) return false;
    if ((defined & HuffmanTableBit(0, dc)) == 0 || (defined & HuffmanTableBit(1, ac)) == 0) return false;
  }
  return true;
}

// The entropy-coded bytes of a scan start at `pos`; returns where its next marker's
// 0xFF is (stuffed 0xFF00 and restart markers belong to the scan), or npos.
size_t ScanEnd(std::string_view in, size_t pos) {
  while (true) {
    const void* ff = std::memchr(in.data() + pos, 0xFF, in.size() - pos);
    if (ff == nullptr) return std::string_view::npos;
    size_t i = static_cast<size_t>(static_cast<const char*>(ff) - in.data());
    size_t j = i + 1;
    while (j < in.size() && At(in, j) == 0xFF) ++j;  // fill bytes
    if (j >= in.size()) return std::string_view::npos;
    const uint8_t b = At(in, j);
    if (b != 0x00 && !(b >= 0xD0 && b <= 0xD7)) return j - 1;
    pos = j + 1;
  }
}

}  // namespace

int ExifOrientation(std::string_view t, bool* gps) {
  if (t.size() < 8) return 1;
  const bool little = StartsWith(t, "II");
  if (!little && !StartsWith(t, "MM")) return 1;
  auto u16 = [&](size_t i) -> uint32_t { return little ? (uint32_t{At(t, i + 1)} << 8) | At(t, i) : Be16(t, i); };
  auto u32 = [&](size_t i) -> uint32_t { return little ? (u16(i + 2) << 16) | u16(i) : Be32(t, i); };
  if (u16(2) != 42) return 1;
  const size_t ifd = u32(4);
  if (ifd > t.size() || t.size() - ifd < 2) return 1;
  const size_t count = u16(ifd);
  int orientation = 1;
  for (size_t e = 0; e < count; ++e) {
    const size_t at = ifd + 2 + e * 12;
    if (at + 12 > t.size()) break;
    const uint32_t tag = u16(at);
    if (tag == 0x8825) *gps = true;
    if (tag == 0x0112 && u16(at + 2) == 3 /* SHORT */) {
      const uint32_t v = u16(at + 8);
      if (v >= 1 && v <= 8) orientation = static_cast<int>(v);
    }
  }
  return orientation;
}

bool DeclaredSize(std::string_view in, int64_t* width, int64_t* height) {
  if (StartsWith(in, std::string_view("\x89PNG\r\n\x1A\n", 8))) {
    if (in.size() < 24 || in.substr(12, 4) != "IHDR") return false;
    *width = Be32(in, 16);
    *height = Be32(in, 20);
    return true;
  }
  if (in.size() < 4 || At(in, 0) != 0xFF || At(in, 1) != 0xD8) return false;
  size_t pos = 2;
  while (pos + 4 <= in.size() && At(in, pos) == 0xFF) {
    const uint8_t marker = At(in, pos + 1);
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return false;  // a scan before any frame header
    const size_t len = Be16(in, pos + 2);
    const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (len < 7 || pos + 9 > in.size()) return false;
      *height = Be16(in, pos + 5);
      *width = Be16(in, pos + 7);
      return true;
    }
    if (len < 2) return false;
    pos += 2 + len;
  }
  return false;
}

Stripped StripJpeg(std::string_view in) {
  Stripped out;
  if (in.size() < 4 || At(in, 0) != 0xFF || At(in, 1) != 0xD8) return out;
  out.bytes.reserve(in.size());
  out.bytes.append("\xFF\xD8", 2);
  size_t pos = 2;
  bool scanned = false;
  int frames = 0;
  uint8_t huffman_tables = 0;
  while (pos < in.size()) {
    if (At(in, pos) != 0xFF) return Stripped{};
    size_t m = pos + 1;
    while (m < in.size() && At(in, m) == 0xFF) ++m;
    if (m >= in.size()) return Stripped{};
    const uint8_t marker = At(in, m);
    if (marker == 0xD9) {  // EOI: the picture ends; trailing bytes are not copied
      out.bytes.append("\xFF\xD9", 2);
      out.ok = scanned;
      if (frames != 1) out.decodable = false;
      if (m + 1 < in.size()) out.had_metadata = true;
      if (!out.ok) return Stripped{};
      return out;
    }
    if (marker == 0x00 || marker == 0xD8) return Stripped{};
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // standalone
      out.bytes.push_back('\xFF');
      out.bytes.push_back(static_cast<char>(marker));
      pos = m + 1;
      continue;
    }
    if (m + 2 >= in.size()) return Stripped{};
    const size_t len = Be16(in, m + 1);
    if (len < 2 || len > in.size() - (m + 1)) return Stripped{};
    const size_t end = m + 1 + len;
    const std::string_view payload = in.substr(m + 3, len - 2);
    const bool app = (marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE;
    if (app && !KeptApp(marker, payload)) {
      Note(out, marker, payload);
      pos = end;
      continue;
    }
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      ++frames;
      if (marker != 0xC0 && marker != 0xC1) out.decodable = false;  // progressive, lossless, arithmetic
    }
    if (marker == 0xC4 && !GoodHuffmanTables(payload, &huffman_tables)) out.decodable = false;
    if (marker == 0xDA && !ScanTablesDefined(payload, huffman_tables)) out.decodable = false;
    out.bytes.push_back('\xFF');
    out.bytes.append(in.data() + m, end - m);
    pos = end;
    if (marker == 0xDA) {  // SOS: the compressed picture follows, up to the next marker
      scanned = true;
      const size_t next = ScanEnd(in, pos);
      if (next == std::string_view::npos) return Stripped{};
      out.bytes.append(in.data() + pos, next - pos);
      pos = next;
    }
  }
  return Stripped{};  // no EOI
}

Stripped StripPng(std::string_view in) {
  static const char kSignature[] = "\x89PNG\r\n\x1A\n";
  // Chunks that draw the picture; every other ancillary chunk is dropped.
  static const char* const kKept[] = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB",
                                      "iCCP", "sBIT", "bKGD", "pHYs", "acTL", "fcTL", "fdAT"};
  Stripped out;
  if (!StartsWith(in, std::string_view(kSignature, 8))) return out;
  out.bytes.reserve(in.size());
  out.bytes.append(kSignature, 8);
  size_t pos = 8;
  bool first = true;
  while (in.size() - pos >= 12) {
    const size_t len = Be32(in, pos);
    if (len > in.size() - pos - 12) return Stripped{};
    const std::string_view type = in.substr(pos + 4, 4);
    const std::string_view data = in.substr(pos + 8, len);
    if (first && type != "IHDR") return Stripped{};
    first = false;
    bool keep = false;
    for (const char* k : kKept) keep = keep || type == k;
    if (keep) {
      out.bytes.append(in.data() + pos, len + 12);
      if (type == "tRNS") out.has_trns = true;
    } else {
      out.had_metadata = true;
      if (type == "eXIf") {
        bool gps = false;
        ExifOrientation(data, &gps);
        if (gps) out.had_location = true;
      }
      if (Mentions(data, "GPSLatitude") || Mentions(data, "GPSLongitude")) out.had_location = true;
    }
    pos += len + 12;
    if (type == "IEND") {
      if (pos < in.size()) out.had_metadata = true;
      out.ok = true;
      return out;
    }
  }
  return Stripped{};  // no IEND
}

}  // namespace sotay::image
