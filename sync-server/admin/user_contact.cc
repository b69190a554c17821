#include "admin/user_contact.h"

namespace sotay::server {

std::optional<std::string> PhoneProblem(const std::string& phone) {
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+' && i == 0) {
    } else if ((c == ' ' || c == '.' || c == '-') && digits > 0 && i + 1 < phone.size()) {
    } else {
      return "a phone number has only digits, with spaces, dots or dashes between groups and an optional leading '+'";
    }
  }
  if (digits < 8 || digits > 15) return "a phone number has 8 to 15 digits";
  return std::nullopt;
}

std::optional<std::string> DisplayNameProblem(const std::string& name) {
  if (name.empty() || name.size() > 100) return "a display name has 1 to 100 bytes";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "a display name has no control characters";
  }
  return std::nullopt;
}

Status SetUserContact(ServerStore& store, const std::string& user, const std::optional<std::string>& name,
                      const std::optional<std::string>& phone) {
  // "" clears, so only a non-empty value is checked.
  if (name && !name->empty()) {
    if (auto problem = DisplayNameProblem(*name)) return Status::InvalidArgument(*problem);
  }
  if (phone && !phone->empty()) {
    if (auto problem = PhoneProblem(*phone)) return Status::InvalidArgument(*problem);
  }
  return store.SetUserContact(user, name, phone);
}

}  // namespace sotay::server
