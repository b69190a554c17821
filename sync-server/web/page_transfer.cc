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

// The profile and every record of its commune that moves with it, the profile first.
std::vector<std::string> MovingWith(const std::string& id, const std::vector<const IndexedRecord*>& in_commune) {
  std::vector<std::string> out{id};
  std::set<std::string> in{id};
  for (size_t grew = 1; grew > 0;) {
    grew = 0;
    for (const IndexedRecord* rec : in_commune) {
      if (in.count(rec->ref.id) > 0) continue;
      auto link = rec->summary.shown.find(kChildLinkField);
      auto merged = rec->summary.shown.find(kRegisterMergedIntoField);  // a duplicate merged into it
      const bool named = (link != rec->summary.shown.end() && NamesRecord(link->second, id)) ||
                         (merged != rec->summary.shown.end() && merged->second == id);
      if (in.count(rec->ref.parent) > 0 || named) {
        in.insert(rec->ref.id);
        out.push_back(rec->ref.id);
        ++grew;
      }
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
  auto in_commune = RecordsIn(r, {(*row)->area});
  if (!in_commune.ok()) return InternalError(r.note, in_commune.status());
  // The move names the area each record's edit saw (a concurrent move elsewhere
  // becomes a conflict), and all of it lands as one push or none does.
  std::vector<DashboardChange> changes;
  for (const std::string& rec : MovingWith(id, *in_commune)) {
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
