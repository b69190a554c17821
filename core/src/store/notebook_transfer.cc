// Notebook: moving a child to another commune (issue 14, docs/sync-protocol.md,
// "Transfers"). A move is an _area edit like any other, on the profile and on every
// record linked to it, in one transaction: it merges, it is in the history, and the
// server indexes it for the pull. The device keeps the records until the next sync,
// whose answer names them as gone.
#include <set>

#include "sotay/codec.h"
#include "sotay/links.h"
#include "sotay/notebook.h"
#include "sotay/register.h"

namespace sotay {

namespace {
// The answer by which a case form names the child's profile (links.h): the
// profile's full id, or its first 8 characters as old records have it.
constexpr const char* kChildLinkField = "child_record_id";
}  // namespace

Result<std::vector<std::string>> Notebook::TransferSet(const std::string& id) {
  struct Row {
    std::string id, parent, child_link, merged_into;
  };
  std::vector<Row> rows;
  Status s = store_->Scan(Table::kRecords, std::nullopt, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) return true;  // a tampered row is reported by list, not moved
    auto state = DecodeRecordState(*row.plaintext);
    if (!state.ok()) return true;
    rows.push_back(Row{row.key, state->Shown(kParentField), state->Shown(kChildLinkField),
                       state->Shown(kRegisterMergedIntoField)});
    return true;
  });
  if (!s.ok()) return s;
  std::vector<std::string> out{id};
  std::set<std::string> in{id};
  // Records under a moved one (visits under a case, at any depth), and records that
  // name the profile (its cases, and duplicates merged into it): until nothing more joins.
  for (size_t grew = 1; grew > 0;) {
    grew = 0;
    for (const Row& r : rows) {
      if (in.count(r.id) > 0) continue;
      // A second profile merged into this one (a duplicate) is the same child.
      const bool named = NamesRecord(r.child_link, id) || r.merged_into == id;
      if (in.count(r.parent) > 0 || named) {
        in.insert(r.id);
        out.push_back(r.id);
        ++grew;
      }
    }
  }
  return out;
}

Result<size_t> Notebook::Transfer(const std::string& id, const std::string& to) {
  if (to.empty()) return Status::InvalidArgument("a transfer names the commune the child moves to");
  auto records = TransferSet(id);
  if (!records.ok()) return records.status();
  std::vector<Edit> edits;
  for (const std::string& r : *records) {
    auto state = LoadState(r);
    if (!state.ok()) return state.status().Annotate("record " + r);
    if (state->Shown(kAreaField) == to) continue;
    // The move names the area it saw, so a concurrent move elsewhere is a conflict.
    edits.push_back(NextEdit(r, kAreaField, to, state->HeadsOf(kAreaField)));
  }
  if (edits.empty()) return Status::FailedPrecondition("record " + id + " is already in commune " + to);
  size_t applied = 0;
  Status s = ApplyAndStore(edits, /*local=*/true, &applied);
  if (!s.ok()) return s;
  return edits.size();
}

}  // namespace sotay
