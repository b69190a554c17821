// sotay: the field worker's notebook on the command line.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "shell.h"
#include "sotay/os.h"

namespace sotay::shell {
namespace {

void Usage(const Context& ctx) {
  std::cout << Tr(ctx,
R"(sotay — sổ tay của cán bộ xã hội (dùng được khi không có mạng)

Cách dùng: sotay [--store ĐƯỜNG_DẪN] [--lang vi|en] LỆNH ...

  init [--area MÃ_XÃ] [--user MÃ_NGƯỜI_DÙNG] [--forms THƯ_MỤC]
                        tạo sổ tay mã hóa (hỏi mật khẩu hai lần)
  passwd                đổi mật khẩu
  forms                 liệt kê biểu mẫu
  forms add TỆP...      cài biểu mẫu
  forms check TỆP...    kiểm tra tệp biểu mẫu, báo mọi lỗi
  new BIỂU_MẪU [--commune MÃ_XÃ] [--parent MÃ] [--answers TỆP.json [--allow-duplicate]]
                        điền biểu mẫu mới (hỏi từng câu, hoặc từ tệp); thiết bị
                        của huyện ghi hồ sơ thuộc xã nào bằng --commune; trẻ đã
                        có hồ sơ thì hỏi lại (từ tệp: chỉ lưu khi có --allow-duplicate)
  drafts                các bản nháp chưa xong
  resume MÃ_NHÁP        tiếp tục bản nháp
  list [--form BIỂU_MẪU] [--find CHỮ] [--all]
                        liệt kê hồ sơ; --find không phân biệt dấu
  show MÃ               xem hồ sơ
  edit MÃ [trường=giá_trị ...]
                        sửa hồ sơ (hỏi lại từng câu nếu không ghi trường)
  void MÃ / restore MÃ  hủy / khôi phục hồ sơ
  transfer MÃ --to MÃ_XÃ [--yes]
                        gia đình chuyển đi: chuyển hồ sơ trẻ và các hồ sơ liên quan
                        sang xã nhận (hỏi lại trước khi chuyển); chuyển sang tỉnh
                        khác thì ghi register_status=moved
  history MÃ            lịch sử thay đổi
  attach MÃ TRƯỜNG TỆP  đính kèm tệp (ảnh, giấy tờ) vào hồ sơ; gửi khi đồng bộ
  attachment get MÃ TRƯỜNG TỆP_RA
                        ghi tệp đính kèm ra đĩa (chỉ chủ máy đọc được)
  conflicts             các giá trị xung đột cần giải quyết
  resolve MÃ TRƯỜNG [SỐ | GIÁ_TRỊ]
                        giải quyết xung đột: chọn giá trị số SỐ (như conflicts ghi) hoặc
                        ghi giá trị mới; trạng thái hồ sơ: resolve MÃ _status void|active
  status                việc đang chờ gửi, xung đột, bản nháp
  enroll URL MÃ          đăng ký thiết bị với máy chủ huyện (mã dùng một lần)
  sync [--watch [--interval GIÂY]]
                        gửi thay đổi và nhận thay đổi; --watch: tự thử lại khi có sóng
  rejected [--retry | --drop SỐ...|all]
                        thay đổi bị máy chủ từ chối: xem, gửi lại sau khi sửa, hoặc bỏ
  report [--year NĂM | --from NGÀY --to NGÀY] [--form BIỂU_MẪU] [--explain]
                        các chỉ số báo cáo theo xã và tổng (--explain: định nghĩa)
  import BIỂU_MẪU TỆP.csv|TỆP.jsonl [--commune MÃ_XÃ] [--allow-duplicates]
                        nhập danh sách từ Excel (CSV UTF-8); báo từng dòng lỗi
                        và dòng trùng trẻ đã có (không nhập trừ khi --allow-duplicates)
  ui [--no-browser] [--idle-minutes N]
                        mở sổ tay trong trình duyệt trên máy này (127.0.0.1); tự khóa
                        sau N phút không dùng (mặc định 15)

Sổ tay ở $SOTAY_HOME/notebook.db (mặc định ~/.sotay; Windows: %LOCALAPPDATA%\sotay).
Mật khẩu có thể đặt trong biến SOTAY_PASSPHRASE cho kịch bản tự động (ai đọc
được môi trường sẽ thấy nó).
)",
R"(sotay — the social worker's notebook (works without a network)

Usage: sotay [--store PATH] [--lang vi|en] COMMAND ...

  init [--area COMMUNE_CODE] [--user USER_ID] [--forms DIR]
                        create the encrypted notebook (asks the passphrase twice)
  passwd                change the passphrase
  forms                 list the forms
  forms add FILE...     install forms
  forms check FILE...   check form files and report every problem
  new FORM [--commune CODE] [--parent ID] [--answers FILE.json [--allow-duplicate]]
                        fill a new form (question by question, or from a file); a
                        district device names the record's commune with --commune;
                        a child already here is asked about (from a file: saved only
                        with --allow-duplicate)
  drafts                unfinished interviews
  resume DRAFT_ID       continue a draft
  list [--form FORM] [--find TEXT] [--all]
                        list records; --find ignores diacritics
  show ID               show a record
  edit ID [field=value ...]
                        change a record (asks again question by question without fields)
  void ID / restore ID  void / restore a record
  transfer ID --to COMMUNE_CODE [--yes]
                        the family moved: move the child's profile and its linked
                        records to the receiving commune (asks first); a move to
                        another province is register_status=moved instead
  history ID            who changed what, when
  attach ID FIELD FILE  attach a file (photo, document) to a record; sent at sync
  attachment get ID FIELD OUT
                        write an attached file out (readable by its owner only)
  conflicts             concurrent values waiting for a decision
  resolve ID FIELD [N | VALUE]
                        settle a conflict: keep value N (as conflicts numbers them) or
                        type a new one; the record's status: resolve ID _status void|active
  status                what waits to be sent, conflicts, drafts
  enroll URL CODE       enroll this device with the district server (one-time code)
  sync [--watch [--interval SECONDS]]
                        send and receive changes; --watch: keep retrying whenever there is signal
  rejected [--retry | --drop NUMBER...|all]
                        changes the server refused: list, send again after a fix, or drop
  report [--year YEAR | --from DATE --to DATE] [--form FORM] [--explain]
                        the report's indicators per commune and in total (--explain: definitions)
  import FORM FILE.csv|FILE.jsonl [--commune CODE] [--allow-duplicates]
                        import a list from Excel (CSV UTF-8); every bad row reported,
                        and rows of a child already here (not imported unless
                        --allow-duplicates)
  ui [--no-browser] [--idle-minutes N]
                        the notebook in a browser on this computer (127.0.0.1); locked
                        again after N idle minutes (default 15)

The notebook is $SOTAY_HOME/notebook.db (default ~/.sotay; Windows: %LOCALAPPDATA%\sotay).
Scripts may pass the passphrase in SOTAY_PASSPHRASE (anyone who can read the
environment sees it).
)");
}

std::string DefaultStore() {
  if (auto home = GetEnvUtf8("SOTAY_HOME")) return *home + "/notebook.db";
  return PathToUtf8(PathFromUtf8(DefaultDataDir()) / "notebook.db");
}

}  // namespace
}  // namespace sotay::shell

int main(int argc, char** argv) {
  using namespace sotay::shell;
  sotay::UseUtf8Console();  // Vietnamese on a Windows console, as on a Linux terminal
  const std::vector<std::string> argv_utf8 = sotay::Utf8Args(argc, argv);
  const size_t nargs = argv_utf8.size();
  Context ctx;
  if (sotay::GetEnvUtf8("SOTAY_LANG").value_or("") == "en") ctx.lang = "en";
  std::string command;
  for (size_t i = 1; i < nargs; ++i) {
    std::string a = argv_utf8[i];
    if (command.empty() && (a == "--store" || a == "--lang") && i + 1 < nargs) {
      std::string v = argv_utf8[++i];
      if (a == "--store") ctx.store_path = v;
      else if (v == "vi" || v == "en") ctx.lang = v;
      else {
        std::cerr << "sotay: --lang takes vi or en\n";
        return kUsage;
      }
    } else if (command.empty() && (a == "-h" || a == "--help" || a == "help")) {
      Usage(ctx);
      return kOk;
    } else if (command.empty()) {
      command = a;
    } else {
      ctx.args.push_back(a);
    }
  }
  if (ctx.store_path.empty()) ctx.store_path = DefaultStore();
  static const std::map<std::string, int (*)(Context&)> commands{
      {"init", CmdInit},       {"passwd", CmdPasswd},   {"forms", CmdForms},
      {"new", CmdNew},         {"resume", CmdResume},   {"drafts", CmdDrafts},
      {"list", CmdList},       {"show", CmdShow},       {"edit", CmdEdit},
      {"history", CmdHistory}, {"conflicts", CmdConflicts}, {"status", CmdStatus},
      {"resolve", CmdResolve},
      {"report", CmdReport},   {"import", CmdImport},
      {"enroll", CmdEnroll},   {"sync", CmdSync},       {"rejected", CmdRejected},
      {"transfer", CmdTransfer}, {"ui", CmdUi},
      {"attach", CmdAttach},   {"attachment", CmdAttachment},
      {"void", [](Context& c) { return CmdVoid(c, false); }},
      {"restore", [](Context& c) { return CmdVoid(c, true); }},
  };
  auto it = commands.find(command);
  if (it == commands.end()) {
    if (!command.empty()) std::cerr << "sotay: " << Tr(ctx, "không có lệnh '", "no command '") << command << "'\n\n";
    Usage(ctx);
    return command.empty() ? kOk : kUsage;
  }
  try {
    return it->second(ctx);
  } catch (const std::exception& e) {
    // Last resort: the core reports errors as values; this is a bug, not a path.
    std::cerr << "sotay: " << Tr(ctx, "lỗi không mong đợi: ", "unexpected error: ") << e.what() << "\n";
    return kFailed;
  }
}
