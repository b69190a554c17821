// What every command shares: language, errors and exit codes, opening the store.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "shell.h"
#include "sotay/lang.h"

namespace sotay::shell {

const char* Tr(const Context& ctx, const char* vi, const char* en) { return Pick(ctx.lang, vi, en); }

int ExitCodeOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return kOk;
    case Status::Code::kInvalidArgument: return kInvalid;
    case Status::Code::kNotFound: return kNotFound;
    case Status::Code::kWrongPassphrase: return kPassphrase;
    case Status::Code::kTampered:
    case Status::Code::kCorrupt: return kTampered;
    case Status::Code::kFailedPrecondition:
    case Status::Code::kAlreadyExists: return kNotAllowed;
    case Status::Code::kIOError: return kFailed;
  }
  return kFailed;
}

int Fail(const Context& ctx, const Status& s) {
  const char* what = Tr(ctx, "Lỗi", "Error");
  switch (s.code()) {
    case Status::Code::kWrongPassphrase:
      // The one error a worker meets often: say it in their words only.
      std::cerr << "sotay: " << Tr(ctx, "Sai mật khẩu: mật khẩu này không mở được sổ tay.",
                                   "Wrong passphrase: it does not open this notebook.") << "\n";
      return ExitCodeOf(s);
    case Status::Code::kTampered:
      what = Tr(ctx, "Dữ liệu bị sửa đổi hoặc hỏng", "Tampered or damaged data"); break;
    case Status::Code::kNotFound: what = Tr(ctx, "Không tìm thấy", "Not found"); break;
    case Status::Code::kFailedPrecondition: what = Tr(ctx, "Không thực hiện được", "Not allowed"); break;
    default: break;
  }
  std::cerr << "sotay: " << what << ": " << s.message() << "\n";
  return ExitCodeOf(s);
}

void WaitAfterWrongPassphrase(int wrong_tries) {
  // 2 s, 4 s, 8 s... up to about a minute: slow for a person guessing, short for one who mistyped.
  std::this_thread::sleep_for(std::chrono::seconds(1 << std::min(wrong_tries, 6)));
}

std::unique_ptr<Notebook> OpenNotebook(const Context& ctx, int& exit_code) {
  // Three tries when a person types; each wrong one waits longer, so guessing at the
  // keyboard is slow. (Against a copied file, Argon2id's cost is what protects.)
  const int tries = PassphraseFromEnvironment() ? 1 : 3;
  for (int attempt = 1; attempt <= tries; ++attempt) {
    std::string pass = AskPassphrase(ctx, "Mật khẩu sổ tay", "Notebook passphrase", false);
    if (pass.empty()) {
      exit_code = kPassphrase;
      return nullptr;
    }
    auto nb = Notebook::Open(ctx.store_path, pass);
    if (nb.ok()) return std::move(nb).value();
    if (nb.status().code() == Status::Code::kNotFound) {
      std::cerr << "sotay: " << Tr(ctx, "Chưa có sổ tay ở ", "No notebook at ") << ctx.store_path
                << Tr(ctx, ". Hãy chạy: sotay init\n", ". Run: sotay init\n");
      exit_code = kNotFound;
      return nullptr;
    }
    if (nb.status().code() != Status::Code::kWrongPassphrase || attempt == tries) {
      exit_code = Fail(ctx, nb.status());
      return nullptr;
    }
    std::cerr << Tr(ctx, "Sai mật khẩu, thử lại.\n", "Wrong passphrase, try again.\n");
    WaitAfterWrongPassphrase(attempt);
  }
  exit_code = kPassphrase;
  return nullptr;
}

}  // namespace sotay::shell
