#include "sotay/device_id.h"

#include <cstring>
#include <ostream>

namespace sotay {

void DeviceId::Assign(std::string_view id) {
  if (id.size() <= kInline) {
    std::memcpy(inline_, id.data(), id.size());
    inline_[id.size()] = '\0';
  } else {
    char* p = new char[id.size() + 1];
    std::memcpy(p, id.data(), id.size());
    p[id.size()] = '\0';
    heap_ = p;
  }
  size_ = static_cast<uint32_t>(id.size());
}

void DeviceId::Release() noexcept {
  if (size_ > kInline) delete[] heap_;
  size_ = 0;
  inline_[0] = '\0';
}

void DeviceId::TakeFrom(DeviceId& other) noexcept {
  size_ = other.size_;
  if (size_ > kInline) {
    heap_ = other.heap_;
  } else {
    std::memcpy(inline_, other.inline_, sizeof inline_);  // the whole buffer: a fixed size is a few moves
  }
  other.size_ = 0;
  other.inline_[0] = '\0';
}

DeviceId::DeviceId(DeviceId&& other) noexcept { TakeFrom(other); }

DeviceId& DeviceId::operator=(const DeviceId& other) {
  if (this != &other) {
    Release();
    Assign(other.view());
  }
  return *this;
}

DeviceId& DeviceId::operator=(DeviceId&& other) noexcept {
  if (this != &other) {
    Release();
    TakeFrom(other);
  }
  return *this;
}

std::ostream& operator<<(std::ostream& out, const DeviceId& id) { return out << id.view(); }

}  // namespace sotay
