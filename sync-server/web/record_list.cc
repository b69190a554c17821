#include "web/record_list.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

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

// "YYYY-MM-DD" of a UTC ms time in the viewer's local time.
std::string LocalDay(const Viewer& v, int64_t utc_ms) {
  Viewer iso = v;
  iso.lang = "en";
  return FormatTime(iso, utc_ms).substr(0, 10);
}

bool Passes(const ListFilter& f, const IndexedRecord& rec, const Viewer& v, int64_t today_days) {
  const RecordFacts& s = rec.summary;
  if (!f.form.empty() && rec.ref.form != f.form) return false;
  if (f.form.empty() && !rec.ref.parent.empty()) return false;  // visits are listed under their record
  if (!f.area.empty() && rec.ref.area != f.area) return false;
  if (f.status == "active" && s.is_void) return false;
  if (f.status == "void" && !s.is_void) return false;
  if (f.status == "conflict" && s.conflicts.empty()) return false;
  if (!f.from.empty() || !f.to.empty()) {
    const std::string day = LocalDay(v, s.created_ms);
    if (!f.from.empty() && day < f.from) return false;
    if (!f.to.empty() && day > f.to) return false;
  }
  if (!f.village.empty() && FoldForSearch(VillageOf(rec)) != FoldForSearch(f.village)) return false;
  if (!f.sex.empty() && SexOf(rec) != f.sex) return false;
  if (!f.group.empty()) {
    const std::vector<std::string> codes = SplitAtSpaces(AnswerOf(rec, {"special_circumstances"}));
    if (std::find(codes.begin(), codes.end(), f.group) == codes.end()) return false;
  }
  if (!f.worker.empty() && rec.worker != f.worker) return false;
  if (!f.age_min.empty() || !f.age_max.empty()) {
    const int age = AgeOf(rec, today_days);
    if (age < 0) return false;
    if (!f.age_min.empty() && age < std::atoi(f.age_min.c_str())) return false;
    if (!f.age_max.empty() && age > std::atoi(f.age_max.c_str())) return false;
  }
  return true;
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

std::vector<ListRow> ListRows(const Viewer& v, const ListFilter& f, const std::vector<const IndexedRecord*>& all,
                              int64_t today_days) {
  const SearchWords query = ToSearchWords(f.q);
  std::vector<ListRow> rows;
  for (const IndexedRecord* rec : all) {
    if (!Passes(f, *rec, v, today_days)) continue;
    ListRow row{rec, NameMatch::kNone, ""};
    if (!query.empty()) {
      row.match = MatchWords(rec->name_words, query);
      if (row.match == NameMatch::kNone && f.others) {
        for (const auto& [field, words] : rec->answer_words) {
          row.match = MatchWords(words, query);
          if (row.match == NameMatch::kNone) continue;
          row.why = field;
          break;
        }
      }
      if (row.match == NameMatch::kNone) continue;
      // A name found ranks above any other answer found, however well that matched.
      if (!row.why.empty()) row.match = NameMatch::kPrefix;
    }
    rows.push_back(std::move(row));
  }
  // Best match first (names before other answers), then the chosen order.
  auto rank = [](const ListRow& r) { return std::make_pair(static_cast<int>(r.match), r.why.empty()); };
  if (f.sort == "name") {
    std::stable_sort(rows.begin(), rows.end(), [&](const ListRow& a, const ListRow& b) {
      if (rank(a) != rank(b)) return rank(b) < rank(a);
      return std::tie(a.rec->name_sort, a.rec->ref.id) < std::tie(b.rec->name_sort, b.rec->ref.id);
    });
  } else {
    std::stable_sort(rows.begin(), rows.end(), [&](const ListRow& a, const ListRow& b) {
      if (rank(a) != rank(b)) return rank(b) < rank(a);
      return std::tie(b.rec->summary.updated_ms, b.rec->ref.id) < std::tie(a.rec->summary.updated_ms, a.rec->ref.id);
    });
  }
  return rows;
}

RowText TextOf(const AppContext& ctx, const Viewer& v, const ListRow& row, int64_t today_days) {
  const IndexedRecord& rec = *row.rec;
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

ListFacets FacetsOf(const std::vector<const IndexedRecord*>& all, const std::string& area) {
  // Villages by their folded name ("Bản Phố", "bản phố" are one village: the filter
  // compares folded), each offered in its most common spelling.
  std::map<std::string, std::map<std::string, int>> villages;
  std::set<std::string> workers;
  for (const IndexedRecord* rec : all) {
    if (!rec->worker.empty()) workers.insert(rec->worker);
    if (!area.empty() && rec->ref.area != area) continue;
    const std::string village = VillageOf(*rec);
    if (!village.empty()) ++villages[FoldForSearch(village)][village];
  }
  std::vector<std::pair<std::string, std::string>> sorted;  // (collation key, spelling)
  for (const auto& [folded, spellings] : villages) {
    auto best = spellings.begin();
    for (auto it = spellings.begin(); it != spellings.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    sorted.emplace_back(CollationKey(best->first), best->first);
  }
  std::sort(sorted.begin(), sorted.end());
  ListFacets f;
  for (auto& [key, village] : sorted) f.villages.push_back(std::move(village));
  f.workers.assign(workers.begin(), workers.end());
  return f;
}

}  // namespace sotay::server::web
