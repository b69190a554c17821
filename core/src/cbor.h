// A small CBOR (RFC 8949) writer and reader for the core's own encodings: edit
// groups, record states and the sync wire. They write straight into a string and
// read straight from the bytes, where a JSON tree allocated a node per value: that
// tree was the largest cost of a sync on both sides.
//
// Only what those encodings use: unsigned and negative integers, byte and text
// strings, arrays, maps and booleans, definite lengths, heads of minimal size (as
// nlohmann::json::to_cbor writes them, so stores and requests written before read
// the same). The reader never trusts its input: it throws cbor::Error, naming what
// it expected, on anything malformed, truncated or outside that subset; callers
// turn it into a Corrupt or InvalidArgument status.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sotay::cbor {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  void Uint(uint64_t v) { Head(0, v); }
  void Int(int64_t v) {
    if (v >= 0) {
      Head(0, static_cast<uint64_t>(v));
    } else {
      Head(1, static_cast<uint64_t>(-1 - v));
    }
  }
  void Text(std::string_view s) {
    Head(3, s.size());
    out_->append(s);
  }
  void Bytes(std::string_view s) {
    Head(2, s.size());
    out_->append(s);
  }
  void Array(size_t n) { Head(4, n); }
  void Map(size_t n) { Head(5, n); }
  void Bool(bool b) { out_->push_back(static_cast<char>(b ? 0xf5 : 0xf4)); }

 private:
  // Most heads are one byte (small counts, indexes, short texts): written here,
  // inline, as rows and bodies are written a few dozen heads per edit.
  void Head(uint8_t major, uint64_t v) {
    if (v < 24) {
      out_->push_back(static_cast<char>((major << 5) | v));
    } else {
      LongHead(major, v);
    }
  }
  void LongHead(uint8_t major, uint64_t v);
  std::string* out_;
};

enum class Type { kUint, kNegative, kBytes, kText, kArray, kMap, kTag, kSimple };

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  Type Peek() const;
  uint64_t Uint();
  int64_t Int();  // unsigned or negative, within int64_t
  std::string_view Text();
  std::string_view Bytes();
  size_t Array();  // the count of items that follow
  size_t Map();    // the count of key/value pairs that follow
  bool Bool();
  void Skip();  // one whole item, nested items included
  bool AtEnd() const { return pos_ == in_.size(); }
  // Throws unless every byte was read: trailing bytes mean a malformed value.
  void ExpectEnd() const;

 private:
  uint64_t Head(uint8_t major, const char* what);
  void SkipDepth(int depth);
  std::string_view Take(uint64_t n, const char* what);
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace sotay::cbor
