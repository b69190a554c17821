// GET /conflicts: every open conflict in the viewer's communes, the competing values
// side by side with author, device and time; POST /conflicts/resolve: the chosen or
// typed value becomes an edit whose base names every competing value, so the
// conflict closes here and on every device once it syncs. A choice the form refuses
// shows the page again, the typed value kept in its box and the reason beside it.
#include <algorithm>
#include <mutex>

#include "sotay/text.h"
#include "sotay/validate.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"
#include "web/dashboard_editor.h"
#include "web/sensitive.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

// A resolution the form refused: shown again on its card.
struct Refusal {
  std::string record, field, typed, message;
  bool other = false;  // "another value" was chosen
};

std::string HeadValueText(const Form* form, const std::string& field, const std::string& value, const Viewer& v) {
  if (field == kStatusField) {
    return value == kStatusVoid ? v.T("Hủy hồ sơ", "Void the record") : v.T("Giữ hồ sơ (đang dùng)", "Keep the record (active)");
  }
  if (value.empty()) return v.T("(để trống)", "(empty)");
  return ValueText(form, field, value, v.lang);
}

// One conflict: its competing values as radio choices, and a box for another value.
std::string ConflictCard(AppContext& ctx, const Viewer& v, const IndexedRecord& rec, const RecordState& state,
                         const std::string& field, const Refusal* refused) {
  const Form* form = ctx.forms.Find(rec.ref.form, rec.ref.version);
  const FieldState* fs = state.Field(field);
  if (fs == nullptr) return "";
  const std::string key = rec.ref.id + "/" + field;
  std::string h = "<section class=\"conflict-card\" data-record=\"" + Esc(rec.ref.id) + "\" data-field=\"" +
                  Esc(field) + "\"><h2><a href=\"/records/" + Esc(rec.ref.id) + "\">" +
                  Esc(RecordName(ctx, rec, v)) + "</a> · " +
                  Esc(FieldLabel(form, field, v.lang)) + "</h2>";
  h += "<p class=\"muted\">" + Esc(AreaName(ctx, rec.ref.area)) + "</p>";
  const bool this_one = refused != nullptr && refused->record == rec.ref.id && refused->field == field;
  if (this_one) {
    h += "<p class=\"error\" role=\"alert\" id=\"refused-" + Esc(key) + "\">" + Esc(refused->message) + "</p>";
  }
  h += "<form method=\"post\" action=\"/conflicts/resolve\">" + CsrfField(v);
  h += "<input type=\"hidden\" name=\"record\" value=\"" + Esc(rec.ref.id) + "\">";
  h += "<input type=\"hidden\" name=\"field\" value=\"" + Esc(field) + "\">";
  h += "<div class=\"sides\">";
  if (field == kStatusField) {
    // A void that crossed changes it had not seen: keep the record, or void it
    // again knowing them. The changes are listed for the choice.
    std::string voided_by;
    for (const Head& head : fs->heads) {
      if (head.value != kStatusVoid) continue;
      voided_by = Esc(head.author) + " · " + Esc(head.dot.device) + " · " + FormatTime(v, head.hlc.ms);
    }
    std::string unseen;
    for (const auto& [name, head] : state.UnseenByVoid()) {
      const std::string value =
          ShowsField(v, ctx.forms, rec.ref.form, name) ? HeadValueText(form, name, head->value, v) : Withheld(v);
      unseen += "<li>" + Esc(FieldLabel(form, name, v.lang)) + ": " + Esc(value) + " <small>(" + Esc(head->author) + " · " +
                FormatTime(v, head->hlc.ms) + ")</small></li>";
    }
    h += "<label class=\"side\"><input type=\"radio\" name=\"pick\" value=\"void\" required><span class=\"value\">" +
         std::string(v.T("Hủy hồ sơ", "Void the record")) + "</span><small>" + voided_by + "</small></label>";
    h += "<label class=\"side\"><input type=\"radio\" name=\"pick\" value=\"active\"><span class=\"value\">" +
         std::string(v.T("Giữ hồ sơ (đang dùng)", "Keep the record (active)")) + "</span><small>" +
         v.T("Thay đổi người hủy chưa thấy:", "Changes the void had not seen:") + "</small><ul>" + unseen +
         "</ul></label>";
  } else if (!ShowsField(v, ctx.forms, rec.ref.form, field)) {
    // Choosing between values one may not see is no choice: who wrote them and when
    // is shown, and the decision is left to staff allowed to see them.
    for (const Head& head : fs->heads) {
      h += "<div class=\"side\"><span class=\"value\">" + Esc(Withheld(v)) + "</span><small>" + Esc(head.author) +
           " · " + Esc(head.dot.device) + " · " + FormatTime(v, head.hlc.ms) + "</small></div>";
    }
    h += std::string("</div><p class=\"muted\">") +
         v.T("Chỉ cán bộ được phép xem thông tin bảo mật mới giải quyết được xung đột này.",
             "Only staff allowed to see confidential information can resolve this conflict.") +
         "</p></form></section>";
    return h;
  } else {
    for (const Head& head : fs->heads) {
      const std::string dot = head.dot.ToString();
      h += "<label class=\"side\"><input type=\"radio\" name=\"pick\" value=\"" + Esc(dot) + "\" required>";
      h += "<span class=\"value\">" + Esc(HeadValueText(form, field, head.value, v)) + "</span>";
      h += "<small>" + Esc(head.author) + " · " + Esc(head.dot.device) + " · " + FormatTime(v, head.hlc.ms) +
           "</small>";
      h += "</label>";
    }
  }
  if (field != kStatusField) {
    const bool kept = this_one && refused->other;
    h += std::string("<label class=\"side other\"><input type=\"radio\" name=\"pick\" value=\"other\"") +
         (kept ? " checked" : "") + ">";
    h += std::string("<span>") + v.T("Giá trị khác:", "Another value:") + "</span>";
    h += "<input name=\"other\" id=\"other-" + Esc(key) + "\" aria-label=\"" + v.T("Giá trị khác", "Another value") +
         "\"";
    if (kept) {
      h += " value=\"" + Esc(refused->typed) + "\" aria-invalid=\"true\" aria-describedby=\"refused-" + Esc(key) +
           "\" autofocus";
    }
    h += "></label>";
  }
  h += std::string("</div><button type=\"submit\">") + v.T("Chọn giá trị này", "Keep this value") + "</button></form>";
  h += "</section>";
  return h;
}

// The page, with `refused` (or nullptr) shown on its card. REQUIRES: r.app.mu held.
HttpResponse ConflictsList(WebRequest& r, const Refusal* refused, int status) {
  const Viewer& v = r.viewer;
  const std::string only = refused != nullptr ? refused->record : r.http.Query("record");
  RecordQuery q = VisibleQuery(r);
  q.conflicts_only = true;
  if (!only.empty()) q.ids = {only};
  q.order = RecordQuery::Order::kNewest;
  auto open = SelectRecords(r, q);
  if (!open.ok()) return InternalError(r.note, open.status());
  std::string b;
  const std::string done = r.http.Query("done");
  if (done == "1") {
    b += std::string("<p class=\"ok\" role=\"status\" id=\"resolved\">") +
         v.T("Đã giải quyết. Các thiết bị sẽ nhận giá trị này ở lần đồng bộ tới.",
             "Resolved. Devices receive this value when they next sync.") + "</p>";
  }
  size_t count = 0;
  std::string cards;
  std::vector<std::string> listed;  // the competing values are answers: the read is logged
  for (const IndexedRecord& rec : *open) {
    auto row = r.app.store->LoadRecord(rec.ref.id);
    if (!row.ok()) return InternalError(r.note, row.status());
    if (!*row) continue;
    listed.push_back(rec.ref.id);
    for (const std::string& field : rec.summary.conflicts) {
      cards += ConflictCard(r.app, v, rec, (*row)->state, field, refused);
      ++count;
    }
  }
  Status audited = Audit(r.app, v.user, "conflict.list", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);
  b += "<p class=\"count\" id=\"count\">" + std::to_string(count) + " " + v.T("xung đột đang mở", "open conflicts") + "</p>";
  if (count == 0) b += std::string("<p>") + v.T("Không có xung đột nào.", "No conflicts.") + "</p>";
  b += cards;
  return HtmlResponse(status, Page(v, v.T("Xung đột cần giải quyết", "Conflicts to resolve"), "conflicts", b));
}

}  // namespace

HttpResponse ConflictsPage(WebRequest& r) {
  if (r.viewer.role == Role::kAdmin) return AdminsSeeNoRecords(r.viewer);
  std::lock_guard<std::mutex> lock(r.app.mu);
  return ConflictsList(r, nullptr, 200);
}

HttpResponse ResolveConflict(WebRequest& r) {
  const Viewer& v = r.viewer;
  const std::string record = FormValue(r.form, "record");
  const std::string field = FormValue(r.form, "field");
  const std::string pick = FormValue(r.form, "pick");
  // Refused: the page again with the choice and what was typed, not a dead end.
  // REQUIRES: r.app.mu held (every call below is under the lock).
  const auto bad = [&](const std::string& why) {
    r.note.error = "resolve_refused";
    const Refusal refused{record, field, FormValue(r.form, "other"), why, pick == "other"};
    return ConflictsList(r, &refused, 400);
  };
  if (v.role == Role::kAdmin) {
    return ErrorPage(v, 403, v.T("Quản trị viên không sửa hồ sơ trẻ em.", "Administrators do not change children's records."));
  }
  std::lock_guard<std::mutex> lock(r.app.mu);
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  auto row = r.app.store->LoadRecord(record);
  if (!row.ok()) return InternalError(r.note, row.status());
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  if (!*row || std::find(communes.begin(), communes.end(), (*row)->area) == communes.end()) {
    return ErrorPage(v, 404, v.T("Không có hồ sơ này trong các xã bạn được xem.", "No such record in the communes you may see."));
  }
  if (!CanEdit(r.app.areas, PrincipalOf(v), (*row)->area)) {
    return ErrorPage(v, 403, v.T("Bạn không được sửa hồ sơ của xã này.", "You may not change this commune's records."));
  }
  const RecordState& state = (*row)->state;
  const std::vector<std::string> conflicts = state.Conflicts();
  if (std::find(conflicts.begin(), conflicts.end(), field) == conflicts.end()) {
    // Someone resolved it meanwhile, or a device's sync closed it.
    return Redirect("/conflicts?done=1");
  }
  if (!ShowsField(v, r.app.forms, (*row)->form, field)) {
    return ErrorPage(v, 403, v.T("Chỉ cán bộ được phép xem thông tin bảo mật mới giải quyết được xung đột này.",
                                 "Only staff allowed to see confidential information can resolve this conflict."));
  }
  const FieldState* fs = state.Field(field);
  std::string value;
  if (pick == "other") {
    if (field == kStatusField) return bad(v.T("Trạng thái chỉ có thể chọn một trong các giá trị.", "Pick one of the statuses."));
    const Form* form = r.app.forms.Find((*row)->form, (*row)->version);
    const Field* f = form != nullptr ? form->FindField(field) : nullptr;
    if (f == nullptr) return bad(v.T("Biểu mẫu không có câu hỏi này.", "The form has no such question."));
    value = Canonical(*f, FormValue(r.form, "other"));
    Answers answers = Summarize(state).shown;
    CheckEnv env;
    env.lang = v.lang;
    env.now_ms = r.app.env->LocalNowMs();
    env.today_days = static_cast<double>(r.app.env->TodayDays());
    env.before = &answers;  // as on a device's edit: a constraint checks what changes
    if (auto issue = CheckValue(*form, *f, value, answers, env)) {
      return bad(FieldLabel(form, field, v.lang) + ": " + issue->message);
    }
  } else if (field == kStatusField) {
    if (pick != kStatusVoid && pick != kStatusActive) {
      return bad(v.T("Hãy chọn hủy hay giữ hồ sơ.", "Choose to void or keep the record."));
    }
    value = pick;
  } else {
    bool found = false;
    for (const Head& h : fs->heads) {
      if (h.dot.ToString() == pick) {
        value = h.value;
        found = true;
      }
    }
    if (!found) return bad(v.T("Hãy chọn một trong các giá trị.", "Pick one of the values."));
  }
  // A void must name every head of the record (merge.h); anything else, the field's.
  const std::vector<Dot> base = field == kStatusField && value == kStatusVoid ? state.AllHeads() : state.HeadsOf(field);
  auto out = ApplyDashboardEdit(r.app, v, record, field, value, base, "conflict.resolve");
  if (!out.ok()) return InternalError(r.note, out.status());
  if (!out->rejected.empty()) return bad(out->rejected.front().reason);
  return Redirect("/conflicts?done=1");
}

}  // namespace sotay::server::web
