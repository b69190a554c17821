// The links of a record on its dashboard page (record_links.h).
#include "web/record_links.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "sotay/links.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"

namespace sotay::server::web {

namespace {

std::string Shown(const IndexedRecord& rec, const std::string& field) {
  auto it = rec.summary.shown.find(field);
  return it == rec.summary.shown.end() ? "" : it->second;
}

// The records of the viewer's communes `answer` may name (the caller confirms with
// NamesRecord): a full id or its first 8 characters.
Result<std::vector<IndexedRecord>> NamedBy(WebRequest& r, const std::string& answer, const std::string& form) {
  if (answer.empty()) return std::vector<IndexedRecord>();
  RecordQuery q = VisibleQuery(r);
  q.id_prefix = answer.substr(0, 8);
  q.forms = {form};
  return SelectRecords(r, q);
}

// The records of the viewer's communes whose links may name `id`.
Result<std::vector<IndexedRecord>> Naming(WebRequest& r, const std::string& id) {
  RecordQuery q = VisibleQuery(r);
  q.may_name = id;
  return SelectRecords(r, q);
}

// The profile's siblings: the profiles joined to it by a link of the form to itself
// (household_with), either way and through one another, so three siblings linked to
// the first one all see each other.
Result<std::vector<IndexedRecord>> Household(WebRequest& r, const Form& form, const IndexedRecord& rec) {
  const std::vector<const Field*> links = LinkFields(form, form.id);
  std::vector<IndexedRecord> out;
  if (links.empty()) return out;
  auto joined = [&](const IndexedRecord& a, const IndexedRecord& b) {
    for (const Field* f : links) {
      if (NamesRecord(Shown(a, f->name), b.ref.id) || NamesRecord(Shown(b, f->name), a.ref.id)) return true;
    }
    return false;
  };
  std::set<std::string> seen{rec.ref.id};
  std::vector<IndexedRecord> todo{rec};
  while (!todo.empty()) {
    const IndexedRecord at = std::move(todo.back());
    todo.pop_back();
    // Those naming it, and those it names.
    auto near = Naming(r, at.ref.id);
    if (!near.ok()) return near.status();
    for (const Field* f : links) {
      auto named = NamedBy(r, Shown(at, f->name), form.id);
      if (!named.ok()) return named.status();
      for (IndexedRecord& p : *named) near->push_back(std::move(p));
    }
    for (IndexedRecord& p : *near) {
      if (p.ref.form != form.id || !p.ref.parent.empty() || seen.count(p.ref.id) > 0 || !joined(at, p)) continue;
      seen.insert(p.ref.id);
      out.push_back(p);
      todo.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace

Result<std::string> RecordLinksSection(WebRequest& r, const IndexedRecord& rec) {
  const Viewer& v = r.viewer;
  const Form* form = r.app.forms.Find(rec.ref.form, rec.ref.version);
  if (form == nullptr) return std::string();

  // A case: the child's profile it names.
  std::string b;
  if (const Field* subject = SubjectLink(*form)) {
    const std::string answer = Shown(rec, subject->name);
    b += "<p class=\"child-link\" id=\"child-link\">" + Esc(FieldLabel(form, subject->name, v.lang)) + ": ";
    auto candidates = NamedBy(r, answer, subject->link);
    if (!candidates.ok()) return candidates.status();
    std::vector<const IndexedRecord*> named;
    for (const IndexedRecord& p : *candidates) {
      if (NamesRecord(answer, p.ref.id)) named.push_back(&p);
    }
    if (answer.empty()) {
      b += v.T("chưa liên kết với hồ sơ trẻ em nào.", "no profile linked.");
    } else if (named.empty()) {
      b += v.T("hồ sơ được liên kết không có trong các xã bạn được xem.",
               "the linked profile is not in the communes you may see.");
    } else {
      for (size_t i = 0; i < named.size(); ++i) {
        b += (i > 0 ? ", " : "") + std::string("<a href=\"/records/") + Esc(named[i]->ref.id) + "\">" +
             Esc(RecordName(r.app, *named[i], v)) + "</a>";
      }
      if (named.size() > 1) b += v.T(" (mã ngắn trùng nhiều hồ sơ)", " (the short id names several profiles)");
    }
    b += "</p>";
  }

  // A record others link to: every record naming it, its entries, its siblings.
  struct Item {
    const IndexedRecord* rec;
    const char* kind;
  };
  std::vector<Item> items;
  RecordQuery entries = VisibleQuery(r);
  entries.parent = rec.ref.id;
  auto linked = SelectRecords(r, entries);
  if (!linked.ok()) return linked.status();
  auto naming = Naming(r, rec.ref.id);
  if (!naming.ok()) return naming.status();
  for (IndexedRecord& o : *naming) {
    if (o.ref.parent != rec.ref.id) linked->push_back(std::move(o));
  }
  for (const IndexedRecord& linked_rec : *linked) {
    const IndexedRecord* o = &linked_rec;
    if (o->ref.id == rec.ref.id) continue;
    const Form* of = r.app.forms.Find(o->ref.form, o->ref.version);
    if (o->ref.parent == rec.ref.id) {
      items.push_back({o, v.T("lần thăm", "visit")});
    } else if (of != nullptr && of->id != form->id && LinksTo(*of, o->summary.shown, form->id, rec.ref.id)) {
      items.push_back({o, v.T("hồ sơ vụ việc", "case")});
    }
  }
  auto household = Household(r, *form, rec);
  if (!household.ok()) return household.status();
  for (const IndexedRecord& s : *household) items.push_back({&s, v.T("anh chị em", "sibling")});
  const bool is_target = !LinkFields(*form, form->id).empty() || !items.empty();
  if (!is_target) return b;
  std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
    return std::tie(y.rec->summary.created_ms, y.rec->ref.id) < std::tie(x.rec->summary.created_ms, x.rec->ref.id);
  });
  std::vector<std::string> ids;
  b += std::string("<h2>") + v.T("Hồ sơ liên kết với trẻ", "Records linked to the child") + "</h2>";
  if (items.empty()) {
    b += "<p id=\"linked-none\">" + std::string(v.T("Chưa có hồ sơ nào liên kết.", "No linked records yet.")) + "</p>";
    return b;
  }
  b += "<ul class=\"linked\" id=\"linked\">";
  for (const Item& it : items) {
    const IndexedRecord& o = *it.rec;
    ids.push_back(o.ref.id);
    b += "<li data-kind=\"" + Esc(it.kind) + "\"><a href=\"/records/" + Esc(o.ref.id) + "\">" +
         Esc(RecordName(r.app, o, v)) + "</a> · " + Esc(it.kind) + " · " +
         Esc(FormTitle(r.app.forms.Find(o.ref.form, o.ref.version), o.ref.form, v.lang)) + " · " +
         FormatTime(v, o.summary.created_ms) + (o.summary.is_void ? std::string(" · ") + v.T("đã hủy", "void") : "") +
         "</li>";
  }
  b += "</ul>";
  // SECURITY.md: every record read is logged; the linked ones by their ids.
  Status audited = Audit(r.app, v.user, "record.view", rec.ref.id, "linked " + RecordsShownDetail(ids));
  if (!audited.ok()) return audited;
  return b;
}

}  // namespace sotay::server::web
