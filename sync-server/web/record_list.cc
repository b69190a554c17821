#include "web/record_list.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "sotay/expr.h"
#include "sotay/presentation.h"
#include "sotay/register_age.h"
#include "sotay/text.h"

namespace sotay::server::web {

namespace {

// The answer of the first of `names` the record has ("" when none): forms name the
// same fact differently (child_profile `dob`, the case forms `child_dob`).
std::string AnswerOf(const IndexedRecord& rec, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = rec.summary.shown.find(n);
    if (it != rec.summary.shown.end()) return it->second;
  }
  return "";
}

std::string DobOf(const IndexedRecord& rec) { return AnswerOf(rec, {"dob", "child_dob"}); }
std::string SexOf(const IndexedRecord& rec) { return AnswerOf(rec, {"sex", "child_sex"}); }
std::string VillageOf(const IndexedRecord& rec) { return Trim(AnswerOf(rec, {"village"})); }

// The form's own status question (case_status, register_status, marriage_status).
const Field* StatusField(const Form& form) {
  for (const Field& f : form.fields) {
    if (f.type == FieldType::kSelectOne && f.name.size() > 7 && f.name.compare(f.name.size() - 7, 7, "_status") == 0) {
      return &f;
    }
  }
  return nullptr;
}

// The latest birth day with an age of at least `years` on `today` (AgeYears falls
// as the birth day moves later): the age filter as a range of birth days, which the
// database compares.
int64_t LastBornAtLeast(int years, int64_t today) {
  int64_t lo = today - 366 * static_cast<int64_t>(years + 1) - 2, hi = today;  // AgeYears(lo) >= years
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo + 1) / 2;
    if (AgeYears(mid, today) >= years) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

// The filter as the index's query: what the database compares for the list.
RecordQuery QueryOf(const Viewer& v, const ListFilter& f, const std::vector<std::string>& communes,
                    int64_t today_days) {
  RecordQuery q;
  q.communes = communes;
  if (!f.form.empty()) {
    q.forms = {f.form};
  } else {
    q.top_level = true;  // visits are listed under their record
  }
  q.area = f.area;
  if (f.status == "active") q.is_void = false;
  if (f.status == "void") q.is_void = true;
  if (f.status == "conflict") q.conflicts_only = true;
  // A day of the viewer's calendar, as UTC ms: from its first to its last moment.
  constexpr int64_t kDayMs = 86400000;
  if (auto from = ParseIsoDate(f.from)) q.created_from_ms = *from * kDayMs - v.utc_offset_ms;
  if (auto to = ParseIsoDate(f.to)) q.created_to_ms = (*to + 1) * kDayMs - 1 - v.utc_offset_ms;
  q.village_key = FoldForSearch(f.village);
  q.sex = f.sex;
  q.group = f.group;
  q.worker = f.worker;
  if (!f.age_min.empty() || !f.age_max.empty()) {
    q.born_to = today_days;  // no age before birth
    if (!f.age_min.empty()) q.born_to = LastBornAtLeast(std::max(0, std::atoi(f.age_min.c_str())), today_days);
    // Older than age_max: born on or before the last day with an age of age_max + 1.
    if (!f.age_max.empty()) {
      const int max = std::atoi(f.age_max.c_str());
      q.born_from = max < 0 ? today_days + 1 : LastBornAtLeast(max + 1, today_days) + 1;
    }
  }
  return q;
}

// The other answers a search may look in: the form's text fields but the name, never
// a sensitive one (web/sensitive.h): a search must not say what it holds.
std::vector<std::string> SearchableFields(const FormCatalog& forms, const IndexedRecord& rec) {
  std::vector<std::string> out;
  const Form* form = forms.Find(rec.ref.form, rec.ref.version);
  if (form == nullptr) return out;
  const Field* name_field = ChildNameField(*form);
  for (const Field& f : form->fields) {
    if (f.type != FieldType::kText || &f == name_field || forms.IsSensitive(rec.ref.form, f.name)) continue;
    out.push_back(f.name);
  }
  return out;
}

}  // namespace

ListFilter ListFilter::From(const WebRequest& r) {
  ListFilter f;
  const bool post = r.http.method == "POST";
  auto get = [&](const char* name) { return Trim(post ? FormValue(r.form, name) : r.http.Query(name)); };
  f.form = get("form");
  f.area = get("area");
  f.status = get("status");
  f.from = get("from");
  f.to = get("to");
  f.sort = get("sort");
  f.village = get("village");
  f.sex = get("sex");
  f.group = get("group");
  f.worker = get("worker");
  f.age_min = get("age_min");
  f.age_max = get("age_max");
  f.q = post ? get("q") : "";  // names never travel in a URL
  f.others = get("others") == "1";
  f.page = static_cast<size_t>(std::max(1L, std::atol(get("page").c_str())) - 1);
  return f;
}

std::string ListFilter::Query() const {
  std::string out;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) out += std::string(out.empty() ? "" : "&") + k + "=" + UrlEncode(v);
  };
  add("form", form);
  add("area", area);
  add("status", status);
  add("from", from);
  add("to", to);
  add("village", village);
  add("sex", sex);
  add("group", group);
  add("worker", worker);
  add("age_min", age_min);
  add("age_max", age_max);
  add("sort", sort);
  return out;
}

std::string ListFilter::HiddenFields() const {
  std::string h;
  auto hidden = [&](const char* k, const std::string& val) {
    if (!val.empty()) h += std::string("<input type=\"hidden\" name=\"") + k + "\" value=\"" + Esc(val) + "\">";
  };
  hidden("q", q);
  hidden("others", others ? "1" : "");
  hidden("form", form);
  hidden("area", area);
  hidden("status", status);
  hidden("from", from);
  hidden("to", to);
  hidden("village", village);
  hidden("sex", sex);
  hidden("group", group);
  hidden("worker", worker);
  hidden("age_min", age_min);
  hidden("age_max", age_max);
  hidden("sort", sort);
  return h;
}

int AgeOf(const IndexedRecord& rec, int64_t today_days) {
  const auto born = ParseIsoDate(DobOf(rec));
  return born ? AgeYears(*born, today_days) : -1;
}

namespace {

std::string Joined(const std::vector<std::string>& communes) {
  std::string out;
  for (const std::string& c : communes) out += c + ",";
  return out;
}

Result<ListCounts*> KeptCounts(WebRequest& r) {
  DashboardStore store(*r.app.store);
  auto watermark = r.app.web->index.Watermark(store);
  if (!watermark.ok()) return watermark.status();
  r.app.web->list_counts.At(*watermark);
  return &r.app.web->list_counts;
}

}  // namespace

Result<size_t> UnreadableOf(WebRequest& r, const std::vector<std::string>& communes) {
  auto kept = KeptCounts(r);
  if (!kept.ok()) return kept.status();
  const std::string key = Joined(communes);
  auto known = (*kept)->unreadable.find(key);
  if (known == (*kept)->unreadable.end()) {
    DashboardStore store(*r.app.store);
    auto n = r.app.web->index.Unreadable(store, communes);
    if (!n.ok()) return n.status();
    known = (*kept)->unreadable.emplace(key, *n).first;
  }
  return known->second;
}

Result<ListPage> ListRows(WebRequest& r, const ListFilter& f, const std::vector<std::string>& communes,
                          int64_t today_days, size_t offset, size_t limit) {
  DashboardStore store(*r.app.store);
  RecordIndex& index = r.app.web->index;
  RecordQuery q = QueryOf(r.viewer, f, communes, today_days);
  ListPage page;
  if (f.q.empty()) {
    auto kept = KeptCounts(r);
    if (!kept.ok()) return kept.status();
    // Ages are dated by today: a total counted yesterday may differ.
    const std::string key = f.Query() + "|" + Joined(communes) + "|" + std::to_string(today_days);
    auto known = (*kept)->totals.find(key);
    if (known == (*kept)->totals.end()) {
      auto total = index.Count(store, q);
      if (!total.ok()) return total.status();
      known = (*kept)->totals.emplace(key, *total).first;
    }
    page.total = known->second;
    q.order = f.sort == "name" ? RecordQuery::Order::kName : RecordQuery::Order::kNewest;
    q.offset = offset;
    q.limit = limit;
    auto rows = index.Select(store, q);
    if (!rows.ok()) return rows.status();
    for (IndexedRecord& rec : *rows) page.rows.push_back(ListRow{std::move(rec), NameMatch::kNone, ""});
    return page;
  }
  // A search: every picked record's name is compared, a slice at a time; only the
  // matches are kept, with what orders them.
  struct Hit {
    int rank;  // the match, a name above any other answer
    std::string name_sort, id, why;
    int64_t updated_ms;
    NameMatch match;
  };
  const SearchWords query = ToSearchWords(f.q);
  std::vector<Hit> hits;
  q.with_answers = f.others;
  Status s = index.ForEach(store, q, [&](IndexedRecord& rec) {
    NameMatch match = MatchWords(ToSearchWords(rec.name), query);
    std::string why;
    if (match == NameMatch::kNone && f.others) {
      for (const std::string& field : SearchableFields(r.app.forms, rec)) {
        auto it = rec.summary.shown.find(field);
        if (it == rec.summary.shown.end()) continue;
        match = MatchWords(ToSearchWords(it->second), query);
        if (match == NameMatch::kNone) continue;
        why = field;
        break;
      }
      // A name found ranks above any other answer found, however well that matched.
      if (match != NameMatch::kNone) match = NameMatch::kPrefix;
    }
    if (match == NameMatch::kNone) return Status::OK();
    const int rank = static_cast<int>(match) * 2 + (why.empty() ? 1 : 0);
    hits.push_back(Hit{rank, rec.name_sort, rec.ref.id, std::move(why), rec.summary.updated_ms, match});
    return Status::OK();
  });
  if (!s.ok()) return s;
  // Best match first (names before other answers), then the chosen order.
  if (f.sort == "name") {
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.rank != b.rank) return b.rank < a.rank;
      return std::tie(a.name_sort, a.id) < std::tie(b.name_sort, b.id);
    });
  } else {
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.rank != b.rank) return b.rank < a.rank;
      return std::tie(b.updated_ms, b.id) < std::tie(a.updated_ms, a.id);
    });
  }
  page.total = hits.size();
  const size_t first = std::min(offset, hits.size());
  const size_t end = limit == 0 ? hits.size() : std::min(hits.size(), first + limit);
  // The page's records, read whole, in slices (a CSV of every match may be long).
  for (size_t at = first; at < end; at += 500) {
    RecordQuery one;
    one.communes = communes;
    for (size_t i = at; i < std::min(end, at + 500); ++i) one.ids.push_back(hits[i].id);
    auto got = index.Select(store, one);
    if (!got.ok()) return got.status();
    std::unordered_map<std::string, IndexedRecord*> by_id;
    for (IndexedRecord& rec : *got) by_id[rec.ref.id] = &rec;
    for (size_t i = at; i < std::min(end, at + 500); ++i) {
      auto it = by_id.find(hits[i].id);
      if (it == by_id.end()) continue;  // gone since: another process wrote meanwhile
      page.rows.push_back(ListRow{std::move(*it->second), hits[i].match, hits[i].why});
    }
  }
  return page;
}

RowText TextOf(const AppContext& ctx, const Viewer& v, const ListRow& row, int64_t today_days) {
  const IndexedRecord& rec = row.rec;
  const Form* form = ctx.forms.Find(rec.ref.form, rec.ref.version);
  RowText t;
  t.name = RecordName(ctx, rec, v);
  if (!rec.name.empty()) t.name = rec.name;
  t.form = FormTitle(form, rec.ref.form, v.lang);
  t.commune = AreaName(ctx, rec.ref.area);
  t.village = VillageOf(rec);
  const int age = AgeOf(rec, today_days);
  if (age >= 0) t.age = std::to_string(age);
  const std::string sex = SexOf(rec);
  if (!sex.empty()) {
    const Field* field = form != nullptr ? form->FindField("sex") : nullptr;
    if (form != nullptr && field == nullptr) field = form->FindField("child_sex");
    t.sex = field != nullptr ? ChoiceLabels(*form, *field, sex, v.lang) : sex;
  }
  t.worker = rec.worker;
  t.created = FormatTime(v, rec.summary.created_ms);
  if (rec.summary.is_void) {
    t.status = v.T("đã hủy", "void");
  } else if (const Field* sf = form != nullptr ? StatusField(*form) : nullptr) {
    auto it = rec.summary.shown.find(sf->name);
    if (it != rec.summary.shown.end()) t.status = ChoiceLabels(*form, *sf, it->second, v.lang);
  }
  if (!row.why.empty()) t.why = FieldLabel(form, row.why, v.lang);
  return t;
}

Result<ListFacets> FacetsOf(WebRequest& r, const std::vector<std::string>& communes, const std::string& area) {
  auto kept = KeptCounts(r);
  if (!kept.ok()) return kept.status();
  const std::string key = Joined(communes) + "|" + area;
  auto known = (*kept)->facets.find(key);
  if (known != (*kept)->facets.end()) return known->second;
  DashboardStore store(*r.app.store);
  RecordIndex& index = r.app.web->index;
  RecordQuery q;
  q.communes = communes;
  auto workers = index.Facet(store, q, "worker");
  if (!workers.ok()) return workers.status();
  q.area = area;
  auto written = index.Facet(store, q, "village");
  if (!written.ok()) return written.status();
  // Villages by their folded name ("Bản Phố", "bản phố" are one village: the filter
  // compares folded), each offered in its most common spelling.
  std::map<std::string, std::pair<std::string, int64_t>> villages;  // folded -> (spelling, count)
  for (const auto& [village, count] : *written) {
    auto& best = villages[FoldForSearch(village)];
    if (count > best.second || (count == best.second && village < best.first)) best = {village, count};
  }
  std::vector<std::pair<std::string, std::string>> sorted;  // (collation key, spelling)
  for (const auto& [folded, best] : villages) sorted.emplace_back(CollationKey(best.first), best.first);
  std::sort(sorted.begin(), sorted.end());
  ListFacets f;
  for (auto& [collation, village] : sorted) f.villages.push_back(std::move(village));
  for (auto& [worker, count] : *workers) f.workers.push_back(std::move(worker));
  std::sort(f.workers.begin(), f.workers.end());
  (*kept)->facets.emplace(key, f);
  return f;
}

}  // namespace sotay::server::web
