// Status and Result<T>: how the core reports failure.
//
// Errors are values, never exceptions, at every public entry point of the core.
// A Status carries a code (what kind of failure, for programs) and a message
// (what and where, for people). Messages never contain answers, names or keys.
//
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace sotay {

// Both are [[nodiscard]]: a failure dropped on the floor is a bug. Where ignoring one
// is right, the caller says why in a comment and calls IgnoreError() (for a Result,
// on its status()), the one idiom for it.
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // the caller's input is malformed (a form file, an answer, an id)
    kNotFound,         // no such record, form, field
    kAlreadyExists,    // a store or record that must not exist yet does
    kWrongPassphrase,  // the passphrase does not open the store
    kTampered,         // a sealed row failed authentication
    kCorrupt,          // a file or row is unreadable for a reason other than tampering
    kIOError,          // the file system or SQLite failed
    kFailedPrecondition,  // the operation does not fit the current state (e.g. edit a voided record)
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status AlreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
  static Status WrongPassphrase(std::string m) { return Status(Code::kWrongPassphrase, std::move(m)); }
  static Status Tampered(std::string m) { return Status(Code::kTampered, std::move(m)); }
  static Status Corrupt(std::string m) { return Status(Code::kCorrupt, std::move(m)); }
  static Status IOError(std::string m) { return Status(Code::kIOError, std::move(m)); }
  static Status FailedPrecondition(std::string m) {
    return Status(Code::kFailedPrecondition, std::move(m));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "what kind: message", for logs and the shell.
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `where` (a file, a record id).
  Status Annotate(const std::string& where) const;

  // Discards this status on purpose; the call site says why.
  void IgnoreError() const {}

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains its absence.
// REQUIRES: the Status given to the error constructor is not OK.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}    // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace sotay
