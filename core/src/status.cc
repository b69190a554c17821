#include "sotay/status.h"

namespace sotay {

namespace {
const char* CodeName(Status::Code c) {
  switch (c) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "invalid";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kAlreadyExists: return "already exists";
    case Status::Code::kWrongPassphrase: return "wrong passphrase";
    case Status::Code::kTampered: return "tampered";
    case Status::Code::kCorrupt: return "corrupt";
    case Status::Code::kIOError: return "I/O error";
    case Status::Code::kFailedPrecondition: return "not allowed now";
  }
  return "error";
}
}  // namespace

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

Status Status::Annotate(const std::string& where) const {
  if (ok()) return *this;
  return Status(code_, where + ": " + message_);
}

}  // namespace sotay
