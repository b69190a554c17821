// A transfer (the family moved to another commune) judged once, for `sotay transfer`
// (cmd_transfer.cc) and `sotay ui`'s transfer page (ui/ui_transfer.cc): which record
// may be moved, what moves with it, and whether the receiving commune is one it can
// go to. The move itself is Notebook::Transfer.
#pragma once

#include <string>
#include <vector>

#include "shell.h"

namespace sotay::shell {

struct TransferPlan {
  RecordView view;                  // the record moved: a child's profile, or a record of its own
  std::string name;                 // its instance name ("" when the form gives none)
  std::vector<std::string> moving;  // its id first, then the records that go with it
};

// FailedPrecondition, naming the record to move instead, when `id` goes with
// another record (a home visit under a child, a case about a child): the child's
// profile is what is transferred, and its records follow.
Result<TransferPlan> PlanTransfer(const Context& ctx, Notebook& nb, const std::string& id);

// InvalidArgument when `to` is not a commune code; FailedPrecondition when the
// record is in `to` already. In the context's language.
Status CheckTransferTo(const Context& ctx, const Notebook& nb, const TransferPlan& plan, const std::string& to);

// "Xã Bản Phố (01234)" when the device knows the commune's name, else "xã mã 01234".
std::string CommuneText(const Context& ctx, const Notebook& nb, const std::string& code);

}  // namespace sotay::shell
