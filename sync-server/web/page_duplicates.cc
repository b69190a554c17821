// GET /duplicates: the register's possible duplicates in the viewer's communes
// (across the communes of a district for its staff), found by FindDuplicates
// (duplicates.h), each pair's facts side by side with why it matched;
// POST /duplicates/not-same: the pair is remembered (duplicate_not_same) and never
// shown again; POST /duplicates/merge: "same child", as dashboard edits that sync
// and read in both histories: the loser's register_status becomes `merged` with
// `merged_into` naming the survivor (and the day as register_left_date, which the
// form asks of any status that leaves the register), every visible record whose
// child_record_id names the loser (its full id or 8-character prefix) names the
// survivor, and the survivor's notes say what was merged into it.
//
// The scan reads the profiles from the record index (record_index.h) a slice at a
// time, keeping only what the comparison needs, and is cached per set of communes
// until a profile of them changes: the key is the profiles' count and newest
// updated_seq, which any edit moves.
//
// Over 400 lines on purpose: the page, its two actions and the merge's edits share
// the viewer's communes and the pair's checks, and are changed together.
//
// A device that edits the loser offline: its edits land on the loser as any edit
// does (nothing is refused or lost), and the survivor's page lists the loser with
// "changed after the merge" (MergeNotice). Links to the loser made on a device after
// the merge are not moved; the loser's banner leads to the survivor.
//
// Over 400 lines on purpose: the page and its two actions share the pair's lookup,
// the viewer's area checks and the cache, which split apart would each be exported.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "sotay/duplicates.h"
#include "sotay/presentation.h"
#include "sotay/register.h"
#include "sotay/links.h"
#include "web/audit_log.h"
#include "web/dashboard_editor.h"
#include "web/release_memory.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr char kLinkField[] = "child_record_id";  // the case forms' link to the profile (links.h)
constexpr char kNotesField[] = "notes";

std::string Shown(const IndexedRecord& rec, const char* field) {
  auto it = rec.summary.shown.find(field);
  return it == rec.summary.shown.end() ? std::string() : it->second;
}

bool IsProfile(const AppContext& ctx, const IndexedRecord& rec) {
  const Form* form = ctx.forms.Find(rec.ref.form, rec.ref.version);
  return form != nullptr && IsRegisterForm(*form) && rec.ref.parent.empty();
}

bool IsMerged(const IndexedRecord& rec) { return Shown(rec, kRegisterStatusField) == kRegisterMerged; }

// The register's profiles of the viewer's communes: what the scan reads.
RecordQuery ProfilesQuery(WebRequest& r) {
  RecordQuery q = VisibleQuery(r);
  for (const Form* form : r.app.forms.Latest()) {
    if (IsRegisterForm(*form)) q.forms.push_back(form->id);
  }
  q.top_level = true;
  return q;
}

// The scan of the viewer's live profiles, from the cache while none of them changed.
// The profiles are read a slice at a time; only what the comparison needs is kept.
Result<const DuplicateScan*> Scan(WebRequest& r) {
  auto index = FreshIndex(r);
  if (!index.ok()) return index.status();
  DashboardStore store(*r.app.store);
  const RecordQuery q = ProfilesQuery(r);
  std::string scope;
  for (const std::string& c : q.communes) scope += c + ",";
  DuplicateScan& scan = r.app.web->duplicate_scans[scope];
  if (q.forms.empty()) {
    scan = DuplicateScan();
    return &scan;
  }
  auto count = (*index)->Count(store, q);
  if (!count.ok()) return count.status();
  auto newest = (*index)->NewestSeq(store, q);
  if (!newest.ok()) return newest.status();
  const std::string key = std::to_string(*count) + ":" + std::to_string(*newest);
  if (scan.key == key) return &scan;
  const auto start = std::chrono::steady_clock::now();
  // A province's profiles are not held at once: the scan reads them a year of births
  // at a time (sotay/duplicates.h, FindDuplicatesBySlices).
  // Each profile's identity answers come with its row (record_index.h): the
  // answers themselves are not read.
  const DuplicateProfileSource read = [&](const DuplicateSlice& slice,
                                          const std::function<void(DuplicateProfile&&)>& take) {
    RecordQuery of = q;
    of.with_answers = false;
    of.born_from = slice.born_from;
    of.born_to = slice.born_to;
    return (*index)->ForEach(store, of, [&](IndexedRecord& rec) {
      const auto status = rec.identity.find(kRegisterStatusField);
      const bool merged = status != rec.identity.end() && status->second == kRegisterMerged;
      if (IsProfile(r.app, rec) && !rec.summary.is_void && !merged) {
        take(ProfileFromAnswers(rec.ref.id, rec.identity, rec.ref.area));
      }
      return Status::OK();
    });
  };
  size_t compared = 0;
  auto pairs = FindDuplicatesBySlices(read, &compared);
  if (!pairs.ok()) return pairs.status();
  scan.pairs = std::move(pairs).value();
  scan.profiles = compared;
  scan.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  scan.key = key;
  return &scan;
}

// One child's facts in the pair's column order.
std::vector<std::string> FactsOf(AppContext& ctx, const Viewer& v, const IndexedRecord& rec) {
  const Form* form = ctx.forms.Find(rec.ref.form, rec.ref.version);
  const auto text = [&](const char* field) { return Esc(ValueText(form, field, Shown(rec, field), v.lang)); };
  return {"<a href=\"/records/" + Esc(rec.ref.id) + "\">" + Esc(Shown(rec, kProfileNameField)) + "</a>",
          text(kProfileSexField),
          text(kProfileBirthField),
          text(kProfilePersonalIdField),
          Esc(AreaName(ctx, rec.ref.area)) + " (" + Esc(rec.ref.area) + ")",
          text("village"),
          text("caregiver_name"),
          FormatTime(v, rec.summary.created_ms)};
}

// The survivor a merge keeps unless staff choose: the one with a personal number
// when only one has it, else the older.
const IndexedRecord& DefaultSurvivor(const IndexedRecord& a, const IndexedRecord& b) {
  const bool a_id = !Shown(a, kProfilePersonalIdField).empty(), b_id = !Shown(b, kProfilePersonalIdField).empty();
  if (a_id != b_id) return a_id ? a : b;
  return std::tie(b.summary.created_ms, b.ref.id) < std::tie(a.summary.created_ms, a.ref.id) ? b : a;
}

std::string PairCard(AppContext& ctx, const Viewer& v, const IndexedRecord& a, const IndexedRecord& b,
                     const DuplicateCandidate& c, bool can_decide) {
  static const char* const kRows[][2] = {{"Họ và tên", "Full name"},       {"Giới tính", "Sex"},
                                         {"Ngày sinh", "Date of birth"},   {"Số định danh", "Personal number"},
                                         {"Xã", "Commune"},                {"Thôn", "Village"},
                                         {"Người chăm sóc", "Caregiver"}, {"Lập lúc", "Created"}};
  const std::vector<std::string> fa = FactsOf(ctx, v, a), fb = FactsOf(ctx, v, b);
  std::string h = "<section class=\"duplicate-card\" data-first=\"" + Esc(a.ref.id) + "\" data-second=\"" +
                  Esc(b.ref.id) + "\"><h2>" + Esc(DuplicateReasonLabel(c.reason, v.lang)) + "</h2>";
  h += "<table class=\"pair\"><tr><th></th><th>" + std::string(v.T("Hồ sơ 1", "Profile 1")) + "</th><th>" +
       v.T("Hồ sơ 2", "Profile 2") + "</th></tr>";
  for (size_t i = 0; i < fa.size(); ++i) {
    h += "<tr><th>" + std::string(v.T(kRows[i][0], kRows[i][1])) + "</th><td>" + fa[i] + "</td><td>" + fb[i] +
         "</td></tr>";
  }
  h += "</table>";
  if (!can_decide) {
    return h + "<p class=\"muted\">" + v.T("Bạn chỉ được xem cặp này.", "You may only view this pair.") + "</p></section>";
  }
  const std::string pair = "<input type=\"hidden\" name=\"a\" value=\"" + Esc(a.ref.id) +
                           "\"><input type=\"hidden\" name=\"b\" value=\"" + Esc(b.ref.id) + "\">";
  const std::string keep = DefaultSurvivor(a, b).ref.id;
  h += "<form method=\"post\" action=\"/duplicates/merge\" class=\"merge\">" + CsrfField(v) + pair;
  h += std::string("<fieldset><legend>") + v.T("Giữ lại hồ sơ", "Keep the profile") + "</legend>";
  for (const IndexedRecord* side : {&a, &b}) {
    h += "<label><input type=\"radio\" name=\"keep\" value=\"" + Esc(side->ref.id) + "\"" +
         (side->ref.id == keep ? " checked" : "") + "> " + Esc(Shown(*side, kProfileNameField)) + " · " +
         Esc(side->ref.id.substr(0, 8)) + "</label>";
  }
  h += std::string("</fieldset><button type=\"submit\">") + v.T("Cùng một trẻ: gộp", "Same child: merge") +
       "</button></form>";
  h += "<form method=\"post\" action=\"/duplicates/not-same\" class=\"not-same\">" + CsrfField(v) + pair +
       "<button type=\"submit\">" + v.T("Không phải cùng một trẻ", "Not the same child") + "</button></form>";
  return h + "</section>";
}

// A profile of the viewer's communes, read fresh, or nullopt.
Result<std::optional<IndexedRecord>> VisibleProfile(WebRequest& r, const std::string& id) {
  auto got = VisibleRecord(r, id);
  if (!got.ok() || !*got || IsProfile(r.app, **got)) return got;
  return std::optional<IndexedRecord>();
}

// The two profiles a decision names, checked: both visible, both editable by the viewer.
struct Decision {
  std::optional<IndexedRecord> a, b;
  std::optional<HttpResponse> refusal;
};

Result<Decision> CheckDecision(WebRequest& r) {
  const Viewer& v = r.viewer;
  Decision d;
  const std::string a = FormValue(r.form, "a"), b = FormValue(r.form, "b");
  if (v.role == Role::kAdmin) {
    d.refusal = ErrorPage(v, 403, v.T("Quản trị viên không sửa hồ sơ trẻ em.", "Administrators do not change children's records."));
    return d;
  }
  if (a.empty() || a == b) {
    d.refusal = ErrorPage(v, 400, v.T("Hãy chọn hai hồ sơ khác nhau.", "Choose two different profiles."));
    return d;
  }
  auto ra = VisibleProfile(r, a);
  if (!ra.ok()) return ra.status();
  auto rb = VisibleProfile(r, b);
  if (!rb.ok()) return rb.status();
  if (!*ra || !*rb) {
    d.refusal = ErrorPage(v, 404, v.T("Không có hồ sơ trẻ em này trong các xã bạn được xem.",
                                      "No such child profile in the communes you may see."));
    return d;
  }
  if (!CanEdit(r.app.areas, PrincipalOf(v), (*ra)->ref.area) || !CanEdit(r.app.areas, PrincipalOf(v), (*rb)->ref.area)) {
    d.refusal = ErrorPage(v, 403, v.T("Bạn không được sửa hồ sơ của xã này.", "You may not change this commune's records."));
    return d;
  }
  d.a = std::move(*ra);
  d.b = std::move(*rb);
  return d;
}

// A refusal is noted in r.note. The profiles are read by VisibleRecord, which
// refreshes the forms. REQUIRES: r.app.mu held.
Result<Decision> ReadDecision(WebRequest& r) {
  Result<Decision> d = CheckDecision(r);
  if (d.ok() && d->refusal) r.note.error = "duplicate_refused";
  return d;
}

}  // namespace

HttpResponse DuplicatesPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto scanned = Scan(r);
  if (!scanned.ok()) return InternalError(r.note, scanned.status());
  const DuplicateScan& scan = **scanned;
  DashboardStore store(*r.app.store);
  auto not_same = store.NotSamePairs();
  if (!not_same.ok()) return InternalError(r.note, not_same.status());
  // The pairs' profiles only.
  RecordQuery pairs_of = ProfilesQuery(r);
  for (const DuplicateCandidate& c : scan.pairs) {
    if (not_same->count(DuplicatePairKey(c.first_id, c.second_id)) > 0) continue;
    pairs_of.ids.push_back(c.first_id);
    pairs_of.ids.push_back(c.second_id);
  }
  std::vector<IndexedRecord> profiles;
  if (!pairs_of.ids.empty()) {
    auto got = SelectRecords(r, pairs_of);
    if (!got.ok()) return InternalError(r.note, got.status());
    profiles = std::move(got).value();
  }
  std::unordered_map<std::string, const IndexedRecord*> by_id;
  for (const IndexedRecord& rec : profiles) by_id.emplace(rec.ref.id, &rec);

  std::string cards;
  std::vector<std::string> listed;  // the facts are answers: the read is logged
  size_t count = 0;
  for (const DuplicateCandidate& c : scan.pairs) {
    if (not_same->count(DuplicatePairKey(c.first_id, c.second_id)) > 0) continue;
    auto a = by_id.find(c.first_id), b = by_id.find(c.second_id);
    if (a == by_id.end() || b == by_id.end()) continue;
    const bool can_decide = CanEdit(r.app.areas, PrincipalOf(v), a->second->ref.area) &&
                            CanEdit(r.app.areas, PrincipalOf(v), b->second->ref.area);
    cards += PairCard(r.app, v, *a->second, *b->second, c, can_decide);
    listed.push_back(c.first_id);
    listed.push_back(c.second_id);
    ++count;
  }
  Status audited = Audit(r.app, v.user, "duplicate.list", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);

  std::string b;
  const std::string done = r.http.Query("done");
  if (done == "merged") {
    b += std::string("<p class=\"ok\" role=\"status\" id=\"merged\">") +
         v.T("Đã gộp hai hồ sơ. Các thiết bị sẽ nhận thay đổi ở lần đồng bộ tới.",
             "The two profiles are merged. Devices receive the change when they next sync.") + "</p>";
  } else if (done == "kept") {
    b += std::string("<p class=\"ok\" role=\"status\" id=\"kept\">") +
         v.T("Đã ghi nhận: hai hồ sơ là hai trẻ khác nhau. Cặp này sẽ không được hỏi lại.",
             "Noted: two different children. This pair will not be asked about again.") + "</p>";
  }
  b += "<p class=\"count\" id=\"count\">" + std::to_string(count) + " " +
       v.T("cặp hồ sơ có thể trùng", "possible duplicate pairs") + "</p>";
  char took[32];
  std::snprintf(took, sizeof took, "%.2f", scan.seconds);
  b += "<p class=\"muted\" id=\"scan\">" + std::to_string(scan.profiles) + " " +
       v.T("hồ sơ được so sánh trong", "profiles compared in") + " " + took + " s; " +
       v.T("so sánh lại khi có hồ sơ thay đổi.", "compared again when a profile changes.") + "</p>";
  if (count == 0) b += std::string("<p>") + v.T("Không có cặp nào.", "No pairs.") + "</p>";
  b += cards;
  return HtmlResponse(200, Page(v, v.T("Có thể trùng", "Possible duplicates"), "duplicates", b));
}

HttpResponse NotSamePost(WebRequest& r) {
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto d = ReadDecision(r);
  if (!d.ok()) return InternalError(r.note, d.status());
  if (d->refusal) return *d->refusal;
  const auto key = DuplicatePairKey(d->a->ref.id, d->b->ref.id);
  DashboardStore store(*r.app.store);
  ServerStore::Transaction txn(*r.app.store);
  Status s = txn.status();
  if (s.ok()) s = store.InsertNotSame(key, r.viewer.user, r.app.env->NowMs());
  if (s.ok()) {
    s = AppendAudit(r.app.store->db(),
                    AuditEntry{0, r.app.env->NowMs(), r.viewer.user, "duplicate.not_same", key.first, key.second});
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(r.note, s);
  return Redirect("/duplicates?done=kept");
}

HttpResponse MergePost(WebRequest& r) {
  const Viewer& v = r.viewer;
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto d = ReadDecision(r);
  if (!d.ok()) return InternalError(r.note, d.status());
  if (d->refusal) return *d->refusal;
  const std::string keep = FormValue(r.form, "keep");
  if (keep != d->a->ref.id && keep != d->b->ref.id) {
    r.note.error = "duplicate_refused";
    return ErrorPage(v, 400, v.T("Hãy chọn hồ sơ được giữ lại.", "Choose the profile to keep."));
  }
  const IndexedRecord& survivor = keep == d->a->ref.id ? *d->a : *d->b;
  const IndexedRecord& loser = keep == d->a->ref.id ? *d->b : *d->a;
  // Merged meanwhile (or voided): nothing is left to decide.
  if (IsMerged(survivor) || IsMerged(loser) || survivor.summary.is_void || loser.summary.is_void) {
    return Redirect("/duplicates?done=merged");
  }

  std::vector<DashboardChange> changes;
  const auto change = [&](const std::string& record, const std::string& field, const std::string& value) -> Status {
    auto row = r.app.store->LoadRecord(record);
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("record " + record);
    changes.push_back(DashboardChange{record, field, value, (*row)->state.HeadsOf(field)});
    return Status::OK();
  };
  Status s = change(loser.ref.id, kRegisterStatusField, kRegisterMerged);
  if (s.ok()) s = change(loser.ref.id, kRegisterLeftDateField, FormatIsoDate(r.app.env->TodayDays()));
  if (s.ok()) s = change(loser.ref.id, kRegisterMergedIntoField, survivor.ref.id);
  const Form* form = r.app.forms.Find(survivor.ref.form, survivor.ref.version);
  if (s.ok() && form != nullptr && form->FindField(kNotesField) != nullptr) {
    s = change(survivor.ref.id, kNotesField,
               Pick(v.lang, "Hồ sơ " + loser.ref.id + " của cùng trẻ đã được gộp vào hồ sơ này.",
                    "Profile " + loser.ref.id + " of the same child was merged into this one."));
  }
  if (!s.ok()) return InternalError(r.note, s);
  // The links move: every record of the viewer's communes that names the loser.
  RecordQuery naming = VisibleQuery(r);
  naming.may_name = loser.ref.id;
  auto all = SelectRecords(r, naming);
  if (!all.ok()) return InternalError(r.note, all.status());
  std::vector<std::string> linked;
  for (const IndexedRecord& rec : *all) {
    const std::string named = Shown(rec, kLinkField);
    if (NamesRecord(named, loser.ref.id)) linked.push_back(rec.ref.id);
  }
  for (const std::string& id : linked) {
    s = change(id, kLinkField, survivor.ref.id);
    if (!s.ok()) return InternalError(r.note, s);
  }
  auto out = ApplyDashboardEdits(r.app, v, changes, "duplicate.merge");
  if (!out.ok()) return InternalError(r.note, out.status());
  if (!out->rejected.empty()) {
    r.note.error = "duplicate_refused";
    return ErrorPage(v, 400, out->rejected.front().reason);
  }
  return Redirect("/duplicates?done=merged");
}

Result<std::string> MergeNotice(WebRequest& r, const IndexedRecord& rec) {
  const Viewer& v = r.viewer;
  if (!IsProfile(r.app, rec)) return std::string();
  if (IsMerged(rec)) {
    const std::string into = Shown(rec, kRegisterMergedIntoField);
    return "<p class=\"warn\" id=\"merged-into\">" + std::string(v.T("Hồ sơ này trùng và đã được gộp vào", "This profile was a duplicate and is merged into")) +
           " <a href=\"/records/" + Esc(into) + "\">" + v.T("hồ sơ", "profile") + " " + Esc(into.substr(0, 8)) +
           "</a>. " + v.T("Thay đổi mới vẫn được ghi ở đây.", "Later changes are still kept here.") + "</p>";
  }
  const IndexedRecord& self = rec;
  RecordQuery naming = VisibleQuery(r);
  naming.may_name = self.ref.id;
  naming.order = RecordQuery::Order::kId;
  auto all = SelectRecords(r, naming);
  if (!all.ok()) return all.status();
  std::string items;
  for (const IndexedRecord& merged : *all) {
    const IndexedRecord* other = &merged;
    if (!IsMerged(*other) || Shown(*other, kRegisterMergedIntoField) != self.ref.id) continue;
    // By arrival, not by clock: an edit made offline before the merge and pushed
    // after it is a change the survivor's reader has not seen.
    auto history = r.app.store->HistoryOf(other->ref.id);
    if (!history.ok()) return history.status();
    int64_t merged_seq = 0, merged_ms = 0, last_seq = 0;
    for (const StoredEdit& e : *history) {
      last_seq = std::max(last_seq, e.seq);
      if (e.edit.field == kRegisterMergedIntoField && e.seq > merged_seq) {
        merged_seq = e.seq;
        merged_ms = e.received_ms;
      }
    }
    items += "<li><a href=\"/records/" + Esc(other->ref.id) + "\">" + Esc(RecordName(r.app, *other, v)) + "</a> · " +
             Esc(AreaName(r.app, other->ref.area)) + " · " + FormatTime(v, merged_ms);
    if (last_seq > merged_seq) {
      items += std::string(" <span class=\"badge\">") + v.T("có thay đổi sau khi gộp", "changed after the merge") +
               "</span>";
    }
    items += "</li>";
  }
  if (items.empty()) return std::string();
  return std::string("<h2>") + v.T("Hồ sơ trùng đã gộp vào hồ sơ này", "Duplicates merged into this profile") +
         "</h2><ul id=\"merged-from\">" + items + "</ul>";
}

}  // namespace sotay::server::web
