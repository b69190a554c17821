// Moving a child to another commune from the dashboard (issue 14; the device's
// `sotay transfer` does the same): on a child's profile page, district staff get
// "Chuyển xã / Transfer" (on any record that moves on its own: a profile, or a
// record linked to no profile) with the communes of their area; POST /records/transfer
// (CSRF-checked by the router like every POST) makes an _area edit on the profile
// and on each record linked to it (records under it at any depth, records whose
// child_record_id names it, and duplicates merged into it), authored by the
// dashboard's identity (dashboard_editor.h) as one push, all or none, each with an
// audit entry "record.transfer". The history shows "Xã: A → B". The push rules
// (edit_checks.h) check the same again: both communes within the user's area.
// Devices of the commune it left forget it at their next sync; the receiving
// commune's devices pull it whole.
#include <algorithm>
#include <mutex>
#include <set>

#include "sotay/links.h"
#include "sotay/merge.h"
#include "sotay/record_facts.h"
#include "sotay/register.h"
#include "web/dashboard_editor.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr const char* kChildLinkField = "child_record_id";

// A record that moves on its own: top-level, and naming no profile it belongs to
// (a case linked to a child moves with the child's profile).
bool MovesOnItsOwn(const std::string& parent, const Answers& shown) {
  auto link = shown.find(kChildLinkField);
  return parent.empty() && (link == shown.end() || link->second.empty());
}

// The profile and every record of its commune that moves with it, the profile first:
// its entries, the records naming it (a case, a duplicate merged into it), and theirs.
Result<std::vector<std::string>> MovingWith(WebRequest& r, const std::string& id, const std::string& commune) {
  auto index = FreshIndex(r);
  if (!index.ok()) return index.status();
  DashboardStore store(*r.app.store);
  std::vector<std::string> out{id};
  std::set<std::string> in{id};
  for (size_t next = 0; next < out.size(); ++next) {
    const std::string at = out[next];
    RecordQuery entries;
    entries.communes = {commune};
    entries.parent = at;
    auto found = (*index)->Select(store, entries);
    if (!found.ok()) return found.status();
    if (at == id) {  // only the profile is named; the rest move as its entries
      RecordQuery naming;
      naming.communes = {commune};
      naming.may_name = id;
      auto named = (*index)->Select(store, naming);
      if (!named.ok()) return named.status();
      for (const IndexedRecord& rec : *named) {
        auto link = rec.summary.shown.find(kChildLinkField);
        auto merged = rec.summary.shown.find(kRegisterMergedIntoField);  // a duplicate merged into it
        if ((link != rec.summary.shown.end() && NamesRecord(link->second, id)) ||
            (merged != rec.summary.shown.end() && merged->second == id)) {
          found->push_back(rec);
        }
      }
    }
    for (const IndexedRecord& rec : *found) {
      if (in.insert(rec.ref.id).second) out.push_back(rec.ref.id);
    }
  }
  return out;
}

}  // namespace

std::string TransferForm(const AppContext& ctx, const Viewer& v, const IndexedRecord& rec) {
  if (v.role != Role::kDistrict || !MovesOnItsOwn(rec.ref.parent, rec.summary.shown)) return "";
  const Principal who = PrincipalOf(v);
  if (!CanEdit(ctx.areas, who, rec.ref.area)) return "";
  std::string options;
  for (const std::string& code : VisibleCommunes(ctx.areas, who)) {
    if (code == rec.ref.area) continue;
    options += "<option value=\"" + Esc(code) + "\">" + Esc(AreaName(ctx, code)) + " (" + Esc(code) + ")</option>";
  }
  if (options.empty()) return "";
  return std::string("<h2>") + v.T("Chuyển xã", "Transfer") + "</h2>" +
         "<form method=\"post\" action=\"/records/transfer\" id=\"transfer\">" + CsrfField(v) +
         "<input type=\"hidden\" name=\"record\" value=\"" + Esc(rec.ref.id) + "\"><p>" +
         v.T("Gia đình chuyển đi: hồ sơ của trẻ và các hồ sơ liên quan chuyển sang xã nhận, cùng lịch sử. "
             "Chuyển sang tỉnh khác thì ghi trạng thái sổ “chuyển đi” thay vì chuyển xã.",
             "The family moved: the child's profile and its linked records move to the receiving commune, with "
             "their history. For another province, set the register status to “moved” instead.") +
         "</p><label>" + v.T("Xã nhận", "Receiving commune") + " <select name=\"to\" required>" + options +
         "</select></label> <button type=\"submit\">" + v.T("Chuyển xã", "Transfer") + "</button></form>";
}

HttpResponse TransferPost(WebRequest& r) {
  const Viewer& v = r.viewer;
  const std::string id = FormValue(r.form, "record");
  const std::string to = FormValue(r.form, "to");
  if (v.role != Role::kDistrict) {
    r.note.error = "transfer_refused";
    return ErrorPage(v, 403, v.T("Chỉ cán bộ huyện chuyển xã trên trang này.", "Only district staff transfer here."));
  }
  std::lock_guard<std::mutex> lock(r.app.mu);
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  auto row = r.app.store->LoadRecord(id);
  if (!row.ok()) return InternalError(r.note, row.status());
  const Principal who = PrincipalOf(v);
  if (!*row || !CanEdit(r.app.areas, who, (*row)->area)) {
    r.note.error = "not_found";
    return ErrorPage(v, 404, v.T("Không có hồ sơ này trong các xã bạn được sửa.", "No such record in the communes you may change."));
  }
  if (!CanEdit(r.app.areas, who, to) || to == (*row)->area) {
    r.note.error = "transfer_refused";
    return ErrorPage(v, 400, v.T("Hãy chọn một xã khác trong địa bàn của bạn.", "Choose another commune of your area."));
  }
  if (!MovesOnItsOwn((*row)->parent, Summarize((*row)->state).shown)) {
    r.note.error = "transfer_refused";
    return ErrorPage(v, 400, v.T("Chỉ chuyển hồ sơ trẻ; hồ sơ liên quan đi cùng.", "Transfer the child's profile; linked records go with it."));
  }
  auto moving = MovingWith(r, id, (*row)->area);
  if (!moving.ok()) return InternalError(r.note, moving.status());
  // The move names the area each record's edit saw (a concurrent move elsewhere
  // becomes a conflict), and all of it lands as one push or none does.
  std::vector<DashboardChange> changes;
  for (const std::string& rec : *moving) {
    auto stored = r.app.store->LoadRecord(rec);
    if (!stored.ok()) return InternalError(r.note, stored.status());
    if (!*stored || (*stored)->area == to) continue;
    changes.push_back(DashboardChange{rec, kAreaField, to, (*stored)->state.HeadsOf(kAreaField)});
  }
  auto out = ApplyDashboardEdits(r.app, v, changes, "record.transfer");
  if (!out.ok()) return InternalError(r.note, out.status());
  if (!out->rejected.empty()) {
    r.note.error = "transfer_refused";
    return ErrorPage(v, 400, out->rejected.front().reason);
  }
  return Redirect("/records/" + id + "?moved=1");
}

}  // namespace sotay::server::web
