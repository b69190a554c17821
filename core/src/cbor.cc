#include "cbor.h"

namespace sotay::cbor {

namespace {

constexpr int kMaxDepth = 32;  // deeper than any of our encodings nests

const char* TypeName(Type t) {
  switch (t) {
    case Type::kUint: return "an unsigned integer";
    case Type::kNegative: return "a negative integer";
    case Type::kBytes: return "a byte string";
    case Type::kText: return "a text string";
    case Type::kArray: return "an array";
    case Type::kMap: return "a map";
    case Type::kTag: return "a tag";
    case Type::kSimple: return "a simple value";
  }
  return "an unknown item";
}

}  // namespace

void Writer::LongHead(uint8_t major, uint64_t v) {
  const auto m = static_cast<uint8_t>(major << 5);
  char buf[9];
  const int bytes = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
  buf[0] = static_cast<char>(m | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
  for (int i = 0; i < bytes; ++i) buf[1 + i] = static_cast<char>((v >> (8 * (bytes - 1 - i))) & 0xff);
  out_->append(buf, 1 + static_cast<size_t>(bytes));
}

Type Reader::Peek() const {
  if (pos_ >= in_.size()) throw Error("the value ends early");
  return static_cast<Type>(static_cast<uint8_t>(in_[pos_]) >> 5);
}

uint64_t Reader::Head(uint8_t major, const char* what) {
  if (pos_ >= in_.size()) throw Error(std::string("the value ends where ") + what + " was expected");
  const uint8_t first = static_cast<uint8_t>(in_[pos_]);
  if ((first >> 5) != major) {
    throw Error(std::string("found ") + TypeName(static_cast<Type>(first >> 5)) + " where " + what +
                " was expected");
  }
  ++pos_;
  const uint8_t info = first & 0x1f;
  if (info < 24) return info;
  if (info > 27) throw Error(std::string("indefinite or reserved length in ") + what);
  const int bytes = 1 << (info - 24);
  if (in_.size() - pos_ < static_cast<size_t>(bytes)) throw Error(std::string("the value ends inside ") + what);
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

std::string_view Reader::Take(uint64_t n, const char* what) {
  if (n > in_.size() - pos_) throw Error(std::string("the value ends inside ") + what);
  std::string_view out = in_.substr(pos_, static_cast<size_t>(n));
  pos_ += static_cast<size_t>(n);
  return out;
}

uint64_t Reader::Uint() { return Head(0, "an unsigned integer"); }

int64_t Reader::Int() {
  if (Peek() == Type::kNegative) {
    const uint64_t v = Head(1, "an integer");
    if (v > static_cast<uint64_t>(INT64_MAX)) throw Error("an integer is out of range");
    return -1 - static_cast<int64_t>(v);
  }
  const uint64_t v = Head(0, "an integer");
  if (v > static_cast<uint64_t>(INT64_MAX)) throw Error("an integer is out of range");
  return static_cast<int64_t>(v);
}

std::string_view Reader::Text() { return Take(Head(3, "a text string"), "a text string"); }

std::string_view Reader::Bytes() { return Take(Head(2, "a byte string"), "a byte string"); }

size_t Reader::Array() {
  const uint64_t n = Head(4, "an array");
  if (n > in_.size() - pos_) throw Error("an array is longer than the value");  // each item takes a byte
  return static_cast<size_t>(n);
}

size_t Reader::Map() {
  const uint64_t n = Head(5, "a map");
  if (n > (in_.size() - pos_) / 2) throw Error("a map is longer than the value");
  return static_cast<size_t>(n);
}

bool Reader::Bool() {
  if (pos_ >= in_.size()) throw Error("the value ends where true or false was expected");
  const uint8_t b = static_cast<uint8_t>(in_[pos_]);
  if (b != 0xf4 && b != 0xf5) throw Error("found something else where true or false was expected");
  ++pos_;
  return b == 0xf5;
}

void Reader::Skip() { SkipDepth(0); }

void Reader::SkipDepth(int depth) {
  if (depth > kMaxDepth) throw Error("the value nests too deeply");
  switch (Peek()) {
    case Type::kUint: Head(0, "an unsigned integer"); return;
    case Type::kNegative: Head(1, "a negative integer"); return;
    case Type::kBytes: Bytes(); return;
    case Type::kText: Text(); return;
    case Type::kArray: {
      const size_t n = Array();
      for (size_t i = 0; i < n; ++i) SkipDepth(depth + 1);
      return;
    }
    case Type::kMap: {
      const size_t n = Map();
      for (size_t i = 0; i < 2 * n; ++i) SkipDepth(depth + 1);
      return;
    }
    case Type::kTag: Head(6, "a tag"); SkipDepth(depth + 1); return;
    case Type::kSimple: {
      const uint8_t info = static_cast<uint8_t>(in_[pos_]) & 0x1f;
      if (info < 24) {
        ++pos_;
      } else if (info >= 24 && info <= 27) {
        Take(1 + (uint64_t{1} << (info - 24)), "a simple value");
      } else {
        throw Error("a break or reserved simple value");
      }
      return;
    }
  }
}

void Reader::ExpectEnd() const {
  if (!AtEnd()) throw Error("bytes follow the value");
}

}  // namespace sotay::cbor
