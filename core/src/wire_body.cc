// The frame of a sync body (wire_body.h): the string tables and record ids as they
// are written and read, and the top-level map read whatever the order of its keys.
#include "wire_body.h"

#include <algorithm>

namespace sotay::wire {

using cbor::Reader;
using cbor::Writer;

namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A lower-case UUID as its 16 bytes; anything else stays text.
void PutRecordId(Writer& w, const std::string& id) {
  if (id.size() == 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-') {
    std::string bytes;
    for (size_t i = 0; i < id.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) continue;
      const int hi = Hex(id[i]), lo = i + 1 < id.size() ? Hex(id[i + 1]) : -1;
      if (hi < 0 || lo < 0) break;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
      ++i;
    }
    if (bytes.size() == 16) return w.Bytes(bytes);
  }
  w.Text(id);
}

std::string GetRecordId(Reader& r) {
  if (r.Peek() == cbor::Type::kText) return std::string(r.Text());
  const std::string_view b = r.Bytes();
  if (b.size() != 16) throw cbor::Error("a record id is malformed");
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto byte = static_cast<uint8_t>(b[i]);
    out += digits[byte >> 4];
    out += digits[byte & 15];
  }
  return out;
}

void PutStrings(Writer& w, const std::vector<const std::string*>& v) {
  w.Array(v.size());
  for (const std::string* s : v) w.Text(*s);
}

std::vector<std::string> GetStrings(Reader& r) {
  const size_t n = r.Array();
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(r.Text());
  return out;
}

std::vector<DeviceId> GetDevices(Reader& r) {
  const size_t n = r.Array();
  std::vector<DeviceId> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(r.Text());
  return out;
}

// "k": the request's tag (text), or the response's [tag, [code, name, ...]].
void GetCommunes(Reader& r, Body& b) {
  if (r.Peek() != cbor::Type::kArray) {
    b.communes_tag = std::string(r.Text());
    return;
  }
  if (r.Array() != 2) throw cbor::Error("'k' is malformed");
  CommuneList list;
  list.tag = std::string(r.Text());
  const size_t n = r.Array();
  if (n % 2 != 0) throw cbor::Error("'k' is malformed");
  for (size_t i = 0; i < n; i += 2) {
    Commune c;
    c.code = std::string(r.Text());
    c.name = std::string(r.Text());
    list.communes.push_back(std::move(c));
  }
  b.communes = std::move(list);
}

}  // namespace

void PutStrings(Writer& w, const std::vector<std::string>& v) {
  w.Array(v.size());
  for (const std::string& s : v) w.Text(s);
}

void PutStrings(Writer& w, const std::vector<DeviceId>& v) {
  w.Array(v.size());
  for (const DeviceId& s : v) w.Text(s.view());
}

void PutTables(Writer& w, const Tables& t) {
  w.Text("D");
  PutStrings(w, t.devices.values());
  w.Text("F");
  PutStrings(w, t.fields.values());
  w.Text("R");
  w.Array(t.records.values().size());
  for (const std::string* r : t.records.values()) PutRecordId(w, *r);
}

void PutAuthors(Writer& w, const Tables& t) {
  w.Text("A");
  PutStrings(w, t.authors.values());
}

Body ParseBody(std::string_view bytes) {
  Reader r(bytes);
  if (r.Peek() != cbor::Type::kMap) throw cbor::Error("the body is not a CBOR map");
  Body b;
  const size_t n = r.Map();
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = r.Text();
    if (key == "v") {
      b.version = r.Uint();
    } else if (key == "c") {
      b.cursor = r.Uint();
    } else if (key == "t") {
      b.time = r.Int();
    } else if (key == "m") {
      b.more = r.Bool();
    } else if (key == "D") {
      b.tables.devices = GetDevices(r);
    } else if (key == "F") {
      b.tables.fields = GetStrings(r);
    } else if (key == "A") {
      b.tables.authors = GetStrings(r);
    } else if (key == "w") {
      b.layout = std::max<uint64_t>(1, r.Uint());  // 0 says no more than none: layout 1
    } else if (key == "z") {
      b.set_bytes = r.Uint();
    } else if (key == "E") {
      b.compact = r;
      r.Skip();
    } else if (key == "R") {
      const size_t count = r.Array();
      for (size_t k = 0; k < count; ++k) b.tables.records.push_back(GetRecordId(r));
    } else if (key == "f") {
      b.forms = GetStrings(r);
    } else if (key == "g") {
      b.reads_sets = r.Bool();
    } else if (key == "k") {
      GetCommunes(r, b);
    } else if (key == "o") {
      b.gone = GetStrings(r);
    } else if (key == "s") {
      b.sets = r;
      r.Skip();
    } else if (key == "r") {
      b.ack_runs = r;
      r.Skip();
    } else if (key == "e" || key == "a" || key == "x") {
      std::optional<Reader>& part = key == "e" ? b.edits : key == "a" ? b.accepted : b.rejected;
      part = r;
      r.Skip();
    } else {
      r.Skip();
    }
  }
  r.ExpectEnd();
  if (b.version != kVersion) throw cbor::Error("unknown protocol version");
  return b;
}

}  // namespace sotay::wire
