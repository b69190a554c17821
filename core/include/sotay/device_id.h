// DeviceId: the id of the device that made an edit or issued a clock stamp, kept
// inside the object.
//
// Every edit carries two (its dot's and its stamp's), and a sync copies them into
// merge states, acknowledgements and histories hundreds of thousands of times. A
// device id is 16 hex characters: one more than std::string holds without a heap
// allocation, which made those copies a tenth of the server's time in a push. Ids
// up to kInline bytes live in the object; longer ones (any id the protocol allows)
// go to the heap, so nothing is refused.
//
// It reads as text: compare it with strings, pass it where a std::string_view is
// taken, and call str() where a std::string is needed.
//
// Thread-safety: a value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <string>
#include <string_view>

namespace sotay {

class DeviceId {
 public:
  static constexpr size_t kInline = 23;  // at least 16: Word() reads real ids inline

  DeviceId() noexcept { inline_[0] = '\0'; }
  DeviceId(std::string_view id) { Assign(id); }  // NOLINT: an id reads as text
  DeviceId(const std::string& id) : DeviceId(std::string_view(id)) {}  // NOLINT
  DeviceId(const char* id) : DeviceId(std::string_view(id)) {}  // NOLINT
  DeviceId(const DeviceId& other) {
    if (other.size_ > kInline) {
      Assign(other.view());
    } else {  // the whole buffer: a fixed size is a few moves, not a call
      size_ = other.size_;
      std::memcpy(inline_, other.inline_, sizeof inline_);
    }
  }
  DeviceId(DeviceId&& other) noexcept;
  DeviceId& operator=(const DeviceId& other);
  DeviceId& operator=(DeviceId&& other) noexcept;
  ~DeviceId() { Release(); }

  std::string_view view() const { return std::string_view(data(), size_); }
  operator std::string_view() const { return view(); }  // NOLINT: an id reads as text
  std::string str() const { return std::string(data(), size_); }
  const char* data() const { return size_ <= kInline ? inline_ : heap_; }
  const char* c_str() const { return data(); }  // always NUL-terminated
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Ids of 16 characters (every real one) compare as two words, without a call:
  // merge states, sets of dots and device tables compare them all the time.
  friend bool operator==(const DeviceId& a, const DeviceId& b) {
    if (a.size_ != b.size_) return false;
    if (a.size_ == 16) return std::memcmp(a.inline_, b.inline_, 16) == 0;
    return a.view() == b.view();
  }
  friend bool operator!=(const DeviceId& a, const DeviceId& b) { return !(a == b); }
  friend bool operator<(const DeviceId& a, const DeviceId& b) {
    if (a.size_ == 16 && b.size_ == 16) {
      const uint64_t a0 = a.Word(0), b0 = b.Word(0);
      return a0 != b0 ? a0 < b0 : a.Word(1) < b.Word(1);
    }
    return a.view() < b.view();
  }
  friend bool operator>(const DeviceId& a, const DeviceId& b) { return b < a; }
  friend bool operator<=(const DeviceId& a, const DeviceId& b) { return !(b < a); }
  friend bool operator>=(const DeviceId& a, const DeviceId& b) { return !(a < b); }
  // With text, without making a DeviceId of it.
  friend bool operator==(const DeviceId& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const std::string& a, const DeviceId& b) { return b == a; }
  friend bool operator!=(const DeviceId& a, const std::string& b) { return !(a == b); }
  friend bool operator!=(const std::string& a, const DeviceId& b) { return !(b == a); }
  friend bool operator==(const DeviceId& a, const char* b) { return a.view() == b; }
  friend bool operator==(const char* a, const DeviceId& b) { return b == a; }
  friend bool operator!=(const DeviceId& a, const char* b) { return !(a == b); }
  friend bool operator!=(const char* a, const DeviceId& b) { return !(b == a); }
  friend std::string operator+(const std::string& a, const DeviceId& b) { return a + b.str(); }
  friend std::string operator+(const char* a, const DeviceId& b) { return a + b.str(); }
  friend std::string operator+(const DeviceId& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const DeviceId& a, const char* b) { return a.str() + b; }

 private:
  void Assign(std::string_view id);
  void Release() noexcept;
  // Bytes 8i..8i+7 of an inline id as a big-endian number, so that numbers compare
  // as the bytes do. REQUIRES: size_ >= 8 * (i + 1) and the id is inline.
  uint64_t Word(int i) const {
    uint64_t v;
    std::memcpy(&v, inline_ + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(v);  // one instruction; the loop below was not always made one
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return v;
#else
    const auto* p = reinterpret_cast<const unsigned char*>(inline_) + 8 * i;
    v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | p[k];
    return v;
#endif
  }
  void TakeFrom(DeviceId& other) noexcept;  // REQUIRES: this holds nothing; leaves `other` empty

  uint32_t size_ = 0;
  union {
    char inline_[kInline + 1];
    char* heap_;  // when size_ > kInline
  };
};

std::ostream& operator<<(std::ostream& out, const DeviceId& id);

}  // namespace sotay

namespace std {
template <>
struct hash<sotay::DeviceId> {
  size_t operator()(const sotay::DeviceId& id) const noexcept { return hash<string_view>()(id.view()); }
};
}  // namespace std
