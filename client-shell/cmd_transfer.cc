// `sotay transfer ID --to COMMUNE`: the family moved; the child's profile and the
// records linked to it move to the receiving commune (Notebook::Transfer, an _area
// edit on each). Asks first, naming the child and both communes. After the next
// sync the records leave this device (the server says they are gone). A child
// moving to another province is not a transfer (another server): the worker sets
// register_status=moved instead.
#include <iostream>

#include "record_output.h"
#include "sotay/text.h"
#include "sotay/validate.h"

namespace sotay::shell {

namespace {

// "Xã Bản Phố (01234)" when the device knows the commune's name, else the code.
std::string CommuneText(const Context& ctx, const Notebook& nb, const std::string& code) {
  for (const Commune& c : nb.communes()) {
    if (c.code == code && !c.name.empty()) return Safe(c.name) + " (" + code + ")";
  }
  return Tr(ctx, "xã mã ", "commune ") + Safe(code);
}

bool LooksLikeCommuneCode(const std::string& code) {
  if (code.empty() || code.size() > 16) return false;
  for (char c : code) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

int CmdTransfer(Context& ctx) {
  const char* usage_vi = "Cách dùng: sotay transfer MÃ --to MÃ_XÃ [--yes]";
  const char* usage_en = "Usage: sotay transfer ID --to COMMUNE_CODE [--yes]";
  std::string to;
  bool yes = false;
  std::vector<std::string> rest;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--to" && i + 1 < ctx.args.size()) {
      to = ctx.args[++i];
    } else if (ctx.args[i] == "--yes") {
      yes = true;
    } else {
      rest.push_back(ctx.args[i]);
    }
  }
  if (rest.size() != 1 || to.empty()) {
    std::cerr << Tr(ctx, usage_vi, usage_en) << "\n";
    return kUsage;
  }
  if (!LooksLikeCommuneCode(to)) {
    std::cerr << "sotay transfer: " << Tr(ctx, "mã xã không hợp lệ: ", "not a commune code: ") << Safe(to) << "\n";
    return kUsage;
  }
  ctx.args = rest;
  Opened o = OpenRecord(ctx, usage_vi, usage_en);
  if (!o.nb) return o.code;
  Notebook& nb = *o.nb;
  auto view = nb.Get(o.id);
  if (!view.ok()) return Fail(ctx, view.status());
  auto link = view->shown.find("child_record_id");
  const std::string owner = !view->parent.empty()                             ? view->parent
                            : link != view->shown.end() && !link->second.empty() ? link->second
                                                                                 : "";
  if (!owner.empty()) {
    std::cerr << "sotay transfer: "
              << Tr(ctx, "hồ sơ này đi cùng một hồ sơ khác; hãy chuyển hồ sơ của trẻ: ",
                    "this record goes with another; transfer the child's profile: ")
              << Safe(ShortId(owner)) << "\n";
    return kNotAllowed;
  }
  if (view->area == to) {
    std::cerr << "sotay transfer: " << Tr(ctx, "hồ sơ đã thuộc ", "the record is already in ")
              << CommuneText(ctx, nb, to) << "\n";
    return kNotAllowed;
  }
  auto moving = nb.TransferSet(o.id);
  if (!moving.ok()) return Fail(ctx, moving.status());
  std::string name;
  if (auto form = nb.FindForm(view->form, view->version); form.ok()) {
    name = InstanceName(**form, view->shown, nb.MakeEnv(ctx.lang));
  }
  std::cout << Tr(ctx, "Chuyển trẻ ", "Transfer ") << (name.empty() ? ShortId(o.id) : Safe(name))
            << Tr(ctx, "\n  từ  ", "\n  from ") << CommuneText(ctx, nb, view->area)
            << Tr(ctx, "\n  đến ", "\n  to   ") << CommuneText(ctx, nb, to) << "\n"
            << Tr(ctx, "  cùng ", "  with ") << moving->size() - 1
            << Tr(ctx, " hồ sơ liên quan (vụ việc, thăm hộ...).\n", " linked records (cases, visits...).\n")
            << Tr(ctx,
                  "Sau lần đồng bộ tới, các hồ sơ này chuyển cho xã nhận và không còn trên máy này.\n",
                  "After the next sync these records go to the receiving commune and leave this device.\n");
  if (!yes) {
    std::cout << Tr(ctx, "Chuyển? (c/k) ", "Transfer? (y/n) ") << std::flush;
    std::string line;
    const std::string answer = ReadLine(line) ? FoldForSearch(Trim(line)) : "";
    if (answer != "c" && answer != "co" && answer != "y" && answer != "yes") {
      std::cout << Tr(ctx, "Không chuyển.\n", "Not transferred.\n");
      return kNotAllowed;
    }
  }
  auto moved = nb.Transfer(o.id, to);
  if (!moved.ok()) return Fail(ctx, moved.status());
  std::cout << Tr(ctx, "Đã chuyển ", "Transferred ") << *moved
            << Tr(ctx, " hồ sơ. Đồng bộ để gửi: sotay sync\n", " records. Sync to send them: sotay sync\n");
  return kOk;
}

}  // namespace sotay::shell
