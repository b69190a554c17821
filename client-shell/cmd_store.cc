// `sotay init`, `passwd`, `forms`, `status`: the notebook itself.
#include <filesystem>
#include <iostream>

#include "shell.h"
#include "sotay/links.h"
#include "sotay/os.h"
#include "sotay/shared_lists.h"
#include "sotay/read_file.h"

namespace sotay::shell {

namespace fs = std::filesystem;

namespace {

// Installs every *.json form in `dir`. Returns the number installed, or -1.
int InstallDir(const Context& ctx, Notebook& nb, const std::string& dir) {
  auto files = FormFilesIn(dir);
  if (!files.ok()) {
    std::cerr << "sotay: " << dir << ": " << Tr(ctx, "không đọc được thư mục biểu mẫu", "cannot read the forms directory") << "\n";
    return -1;
  }
  int n = 0;
  for (const std::string& p : *files) {
    auto text = ReadWholeFile(p, "the form file");
    auto info = text.ok() ? nb.InstallForm(*text, p) : Result<FormInfo>(text.status());
    if (!info.ok()) {
      Fail(ctx, info.status());
      return -1;
    }
    ++n;
  }
  return n;
}

}  // namespace

int CmdInit(Context& ctx) {
  std::string area, user, forms_dir;
  if (auto env = GetEnvUtf8("SOTAY_FORMS")) forms_dir = *env;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--area" && i + 1 < ctx.args.size()) area = ctx.args[++i];
    else if (a == "--user" && i + 1 < ctx.args.size()) user = ctx.args[++i];
    else if (a == "--forms" && i + 1 < ctx.args.size()) forms_dir = ctx.args[++i];
    else {
      std::cerr << "sotay init: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "'\n";
      return kUsage;
    }
  }
  if (forms_dir.empty() && fs::is_directory(SOTAY_SCHEMAS_DIR)) forms_dir = SOTAY_SCHEMAS_DIR;
  const fs::path store = PathFromUtf8(ctx.store_path);  // Vietnamese folder names on Windows too
  if (fs::exists(store)) {
    std::cerr << "sotay: " << Tr(ctx, "đã có sổ tay ở ", "a notebook already exists at ") << ctx.store_path << "\n";
    return kNotAllowed;
  }
  std::error_code ec;
  fs::path dir = store.parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir, ec);
    // Only the worker's account may list or open the notebook's folder. Best effort,
    // as before: the store file itself is owner-only either way.
    (void)MakeOwnerOnlyFolder(PathToUtf8(dir));
  }
  std::cout << Tr(ctx, "Tạo sổ tay mới. Hãy chọn một mật khẩu dài (ít nhất 8 ký tự) và nhớ kỹ: "
                       "quên mật khẩu là mất dữ liệu chưa đồng bộ.\n",
                  "Creating a new notebook. Choose a long passphrase (8 characters or more) and remember "
                  "it: a forgotten passphrase loses what has not been synced.\n");
  std::string pass = AskPassphrase(ctx, "Mật khẩu mới", "New passphrase", true);
  if (pass.empty()) return kPassphrase;
  if (pass.size() < 8) {
    std::cerr << "sotay: " << Tr(ctx, "mật khẩu quá ngắn (cần ít nhất 8 ký tự)\n",
                                 "the passphrase is too short (8 characters at least)\n");
    return kPassphrase;
  }
  auto nb = Notebook::Create(ctx.store_path, pass);
  if (!nb.ok()) return Fail(ctx, nb.status());
  Status s = (*nb)->SetProfile(area, user);
  if (!s.ok()) return Fail(ctx, s);
  int installed = forms_dir.empty() ? 0 : InstallDir(ctx, **nb, forms_dir);
  if (installed < 0) {
    nb->reset();
    fs::remove(store, ec);  // a half-made notebook would only confuse
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã tạo sổ tay ", "Created notebook ") << ctx.store_path << " ("
            << Tr(ctx, "thiết bị ", "device ") << (*nb)->device_id() << ", " << installed
            << Tr(ctx, " biểu mẫu)\n", " forms)\n");
  return kOk;
}

int CmdPasswd(Context& ctx) {
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  std::string pass;
  if (auto next = GetEnvUtf8("SOTAY_NEW_PASSPHRASE")) {
    pass = *next;
  } else {
    pass = AskPassphrase(ctx, "Mật khẩu mới", "New passphrase", true);
  }
  if (pass.empty()) return kPassphrase;
  if (pass.size() < 8) {
    std::cerr << "sotay: " << Tr(ctx, "mật khẩu quá ngắn (cần ít nhất 8 ký tự)\n",
                                 "the passphrase is too short (8 characters at least)\n");
    return kPassphrase;
  }
  Status s = nb->ChangePassphrase(pass, KdfLimits::Default());
  if (!s.ok()) return Fail(ctx, s);
  std::cout << Tr(ctx, "Đã đổi mật khẩu.\n", "Passphrase changed.\n");
  return kOk;
}

int CmdForms(Context& ctx) {
  const std::string sub = ctx.args.empty() ? "" : ctx.args[0];
  if (sub == "check") {
    // Needs no notebook: a form author checks files before publishing them.
    if (ctx.args.size() < 2) {
      std::cerr << Tr(ctx, "Cách dùng: sotay forms check TỆP...\n", "Usage: sotay forms check FILE...\n");
      return kUsage;
    }
    int bad = 0;
    std::vector<Form> loaded;  // the files that load, for the links between them
    std::vector<std::string> loaded_from;
    for (size_t i = 1; i < ctx.args.size(); ++i) {
      auto text = ReadWholeFile(ctx.args[i]);
      if (!text.ok()) {
        std::cerr << ctx.args[i] << ": " << Tr(ctx, "không mở được tệp\n", "cannot open the file\n");
        ++bad;
        continue;
      }
      std::vector<std::string> problems = CheckForm(*text, ctx.args[i]);
      for (const std::string& p : problems) std::cerr << p << "\n";
      if (problems.empty()) std::cout << ctx.args[i] << ": OK\n";
      else ++bad;
      if (auto form = LoadForm(*text, ctx.args[i]); form.ok()) {
        loaded.push_back(std::move(form).value());
        loaded_from.push_back(ctx.args[i]);
      }
    }
    // Links and shared lists are checked across the files given together: a pack
    // checked whole.
    if (loaded.size() > 1) {
      std::vector<std::pair<std::string, const Form*>> pack;
      for (size_t i = 0; i < loaded.size(); ++i) pack.emplace_back(loaded_from[i], &loaded[i]);
      for (const std::string& p : CheckLinks(pack)) {
        std::cerr << p << "\n";
        ++bad;
      }
      for (const std::string& p : CheckSharedLists(pack)) {
        std::cerr << p << "\n";
        ++bad;
      }
    }
    return bad == 0 ? kOk : kInvalid;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  if (sub == "add") {
    for (size_t i = 1; i < ctx.args.size(); ++i) {
      auto text = ReadWholeFile(ctx.args[i]);
      if (!text.ok()) return Fail(ctx, text.status());
      auto info = nb->InstallForm(*text, ctx.args[i]);
      if (!info.ok()) return Fail(ctx, info.status());
      std::cout << info->id << " v" << info->version << ": " << info->title.Get(ctx.lang) << "\n";
    }
    return kOk;
  }
  if (!sub.empty()) {
    std::cerr << "sotay forms: " << Tr(ctx, "không có lệnh con '", "no subcommand '") << sub << "'\n";
    return kUsage;
  }
  for (const FormInfo& f : nb->Forms()) {
    std::cout << f.id << "  v" << f.version << "  " << f.title.Get(ctx.lang) << "\n";
  }
  return kOk;
}

int CmdStatus(Context& ctx) {
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto outbox = nb->OutboxCount();
  auto drafts = nb->drafts().List();
  ListFilter all;
  all.include_void = true;
  auto rows = nb->List(all, ctx.lang);
  // A count that could not be read is an error, not a zero.
  if (!outbox.ok()) return Fail(ctx, outbox.status());
  if (!drafts.ok()) return Fail(ctx, drafts.status());
  if (!rows.ok()) return Fail(ctx, rows.status());
  size_t records = 0, conflicts = 0, damaged = 0;
  for (const RecordSummary& r : *rows) {
    ++records;
    conflicts += r.in_conflict;
    damaged += !r.status.ok();
  }
  std::cout << Tr(ctx, "Sổ tay: ", "Notebook: ") << ctx.store_path << "\n"
            << Tr(ctx, "Thiết bị: ", "Device: ") << nb->device_id() << "   "
            << Tr(ctx, "Mã xã: ", "Commune: ") << (nb->area().empty() ? "-" : nb->area()) << "\n"
            << Tr(ctx, "Hồ sơ: ", "Records: ") << records << "\n"
            << Tr(ctx, "Thay đổi chờ gửi: ", "Changes waiting to be sent: ") << *outbox << "\n"
            << Tr(ctx, "Xung đột cần giải quyết: ", "Conflicts to decide: ") << conflicts << "\n"
            << Tr(ctx, "Bản nháp: ", "Drafts: ") << drafts->size() << "\n";
  auto files = nb->attachments().Waiting();
  if (!files.ok()) return Fail(ctx, files.status());
  if (!files->empty()) {
    int64_t bytes = 0;
    for (const KeptFile& f : *files) bytes += f.ref.size;
    std::cout << Tr(ctx, "Tệp đính kèm chờ gửi: ", "Files waiting to be sent: ") << files->size() << " ("
              << bytes << " bytes)\n";
  }
  auto refused = nb->RejectedCount();
  if (!refused.ok()) return Fail(ctx, refused.status());
  if (*refused > 0) {
    std::cout << Tr(ctx, "Bị máy chủ từ chối: ", "Refused by the server: ") << *refused << " (sotay rejected)\n";
  }
  auto sync = nb->GetSyncState();
  if (sync.ok()) {
    std::cout << Tr(ctx, "Máy chủ: ", "Server: ")
              << (sync->server_url.empty() ? Tr(ctx, "chưa đăng ký", "not enrolled") : sync->server_url) << "\n"
              << Tr(ctx, "Lần đồng bộ cuối: ", "Last sync: ")
              << (sync->last_sync_ms > 0 ? FormatTime(sync->last_sync_ms) : Tr(ctx, "chưa bao giờ", "never")) << "\n";
  }
  if (damaged) {
    std::cout << Tr(ctx, "Hồ sơ không đọc được: ", "Unreadable records: ") << damaged << "\n";
  }
  return kOk;
}

}  // namespace sotay::shell
