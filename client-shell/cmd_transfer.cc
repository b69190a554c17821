// `sotay transfer ID --to COMMUNE`: the family moved; the child's profile and the
// records linked to it move to the receiving commune (Notebook::Transfer, an _area
// edit on each). Asks first, naming the child and both communes. After the next
// sync the records leave this device (the server says they are gone). A child
// moving to another province is not a transfer (another server): the worker sets
// register_status=moved instead.
#include <iostream>

#include "record_output.h"
#include "sotay/text.h"
#include "transfer_plan.h"

namespace sotay::shell {

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
  ctx.args = rest;
  Opened o = OpenRecord(ctx, usage_vi, usage_en);
  if (!o.nb) return o.code;
  Notebook& nb = *o.nb;
  auto plan = PlanTransfer(ctx, nb, o.id);
  Status checked = plan.ok() ? CheckTransferTo(ctx, nb, *plan, to) : plan.status();
  if (!checked.ok()) {
    if (checked.code() != Status::Code::kInvalidArgument && checked.code() != Status::Code::kFailedPrecondition) {
      return Fail(ctx, checked);
    }
    std::cerr << "sotay transfer: " << Safe(checked.message()) << "\n";
    return checked.code() == Status::Code::kInvalidArgument ? kUsage : kNotAllowed;
  }
  const RecordView& view = plan->view;
  std::cout << Tr(ctx, "Chuyển trẻ ", "Transfer ") << (plan->name.empty() ? ShortId(o.id) : Safe(plan->name))
            << Tr(ctx, "\n  từ  ", "\n  from ") << Safe(CommuneText(ctx, nb, view.area))
            << Tr(ctx, "\n  đến ", "\n  to   ") << Safe(CommuneText(ctx, nb, to)) << "\n"
            << Tr(ctx, "  cùng ", "  with ") << plan->moving.size() - 1
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
