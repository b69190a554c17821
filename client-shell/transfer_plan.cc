// A transfer judged once (transfer_plan.h).
#include "transfer_plan.h"

#include "sotay/validate.h"

namespace sotay::shell {

namespace {

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

std::string CommuneText(const Context& ctx, const Notebook& nb, const std::string& code) {
  for (const Commune& c : nb.communes()) {
    if (c.code == code && !c.name.empty()) return c.name + " (" + code + ")";
  }
  return Tr(ctx, "xã mã ", "commune ") + code;
}

Result<TransferPlan> PlanTransfer(const Context& ctx, Notebook& nb, const std::string& id) {
  TransferPlan plan;
  auto view = nb.Get(id);
  if (!view.ok()) return view.status();
  plan.view = std::move(view).value();
  auto link = plan.view.shown.find("child_record_id");
  const std::string owner = !plan.view.parent.empty()                                ? plan.view.parent
                            : link != plan.view.shown.end() && !link->second.empty() ? link->second
                                                                                    : "";
  if (!owner.empty()) {
    return Status::FailedPrecondition(std::string(Tr(ctx, "hồ sơ này đi cùng một hồ sơ khác; hãy chuyển hồ sơ của trẻ: ",
                                                     "this record goes with another; transfer the child's profile: ")) +
                                      ShortId(owner));
  }
  auto moving = nb.TransferSet(id);
  if (!moving.ok()) return moving.status();
  plan.moving = std::move(moving).value();
  if (auto form = nb.FindForm(plan.view.form, plan.view.version); form.ok()) {
    plan.name = InstanceName(**form, plan.view.shown, nb.MakeEnv(ctx.lang));
  }
  return plan;
}

Status CheckTransferTo(const Context& ctx, const Notebook& nb, const TransferPlan& plan, const std::string& to) {
  if (!LooksLikeCommuneCode(to)) {
    return Status::InvalidArgument(std::string(Tr(ctx, "mã xã không hợp lệ (chữ số, chữ cái, '-' hoặc '_', tối đa 16): ",
                                                  "not a commune code (digits, letters, '-' or '_', at most 16): ")) +
                                   to.substr(0, 32));
  }
  if (plan.view.area == to) {
    return Status::FailedPrecondition(std::string(Tr(ctx, "hồ sơ đã thuộc ", "the record is already in ")) +
                                      CommuneText(ctx, nb, to));
  }
  return Status::OK();
}

}  // namespace sotay::shell
