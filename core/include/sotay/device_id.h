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
#include <iosfwd>
#include <string>
#include <string_view>

namespace sotay {

class DeviceId {
 public:
  static constexpr size_t kInline = 23;

  DeviceId() noexcept { inline_[0] = '\0'; }
  DeviceId(std::string_view id) { Assign(id); }  // NOLINT: an id reads as text
  DeviceId(const std::string& id) : DeviceId(std::string_view(id)) {}  // NOLINT
  DeviceId(const char* id) : DeviceId(std::string_view(id)) {}  // NOLINT
  DeviceId(const DeviceId& other) : DeviceId(other.view()) {}
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

  friend bool operator==(const DeviceId& a, const DeviceId& b) { return a.view() == b.view(); }
  friend bool operator!=(const DeviceId& a, const DeviceId& b) { return !(a == b); }
  friend bool operator<(const DeviceId& a, const DeviceId& b) { return a.view() < b.view(); }
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
