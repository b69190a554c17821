// The record index (record_index.h): its rows written from the records' states
// and read back for the dashboard's lists, counts and scans. Over 400 lines on
// purpose: the writer (Fill, Upsert) and the reader (WhereOf, ReadRow) must agree
// column by column, and kept in one file they are read and changed together.
#include "web/record_index.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>
#include <variant>

#include <nlohmann/json.hpp>

#include "sotay/codec.h"
#include "sotay/duplicates.h"
#include "sotay/expr.h"
#include "sotay/links.h"
#include "sotay/merge.h"
#include "sotay/name_search.h"
#include "sotay/register.h"
#include "sotay/text.h"

namespace sotay::server::web {

namespace {

constexpr char kWatermarkKey[] = "record_facts.seq";  // server_meta: the newest change set indexed
constexpr int kRefreshSets = 256;                    // change sets read per refresh transaction
constexpr int kSlice = 500;                          // rows per read of ForEach

// Ids are JSON in a bound parameter; a byte that is not UTF-8 must not throw.
std::string JsonList(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AnswerOf(const Answers& shown, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = shown.find(n);
    if (it != shown.end()) return it->second;
  }
  return "";
}

// The row of record_facts for one record, beside the IndexedRecord it stores.
struct FactsRow {
  IndexedRecord rec;
  bool known = false;  // its form was in the catalog
  std::string village, village_key, sex, groups, links;
  std::optional<int64_t> born;
  std::string identity;  // JSON of rec.identity, or ""
};

// The answers a register profile is told apart by (sotay/duplicates.h), as stored.
std::string IdentityJson(const Answers& identity) {
  if (identity.empty()) return "";
  return nlohmann::json(identity).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

FactsRow Fill(const FormCatalog& forms, const RecordRef& ref, const RecordState& state) {
  FactsRow row;
  IndexedRecord& out = row.rec;
  out.ref = ref;
  out.summary = Summarize(state);
  const Answers& shown = out.summary.shown;
  const Form* form = forms.Find(ref.form, ref.version);
  row.known = form != nullptr;
  std::string links;
  if (form != nullptr) {
    CheckEnv env;
    out.title = InstanceName(*form, shown, env);
    if (const Field* name_field = ChildNameField(*form)) {
      auto it = shown.find(name_field->name);
      if (it != shown.end()) out.name = it->second;
    }
    for (const Field* f : LinkFields(*form)) {
      auto it = shown.find(f->name);
      if (it != shown.end()) links += " " + it->second;
    }
  }
  if (out.name.empty()) out.name = out.title;
  out.name_sort = PersonNameSortKey(out.name);
  // Made by: the author of the edit that set the form, the first edit (record_facts.h).
  const FieldState* created = state.Field(kFormField);
  out.worker = created != nullptr && !created->heads.empty() ? created->heads.front().author : "";
  auto merged_into = shown.find(kRegisterMergedIntoField);
  if (merged_into != shown.end()) links += " " + merged_into->second;
  row.links = links.empty() ? "" : links + " ";
  row.village = Trim(AnswerOf(shown, {"village"}));
  row.village_key = FoldForSearch(row.village);
  row.sex = AnswerOf(shown, {"sex", "child_sex"});
  row.born = ParseIsoDate(AnswerOf(shown, {"dob", "child_dob"}));
  if (form != nullptr && IsRegisterForm(*form) && ref.parent.empty()) {
    for (const char* field : {kProfileNameField, kProfileBirthField, kProfileSexField, kProfilePersonalIdField,
                              kRegisterStatusField}) {
      auto it = shown.find(field);
      if (it != shown.end()) out.identity.emplace(field, it->second);
    }
  }
  row.identity = IdentityJson(out.identity);
  const std::string groups = AnswerOf(shown, {"special_circumstances"});
  row.groups = " ";
  for (const std::string& code : SplitAtSpaces(groups)) row.groups += code + " ";
  return row;
}

std::string FactsJson(const RecordFacts& s) {
  nlohmann::json j = {{"s", s.shown}, {"c", s.conflicts}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Upsert(sql::Db& db, const FactsRow& row) {
  auto st = db.Prepare(
      "INSERT INTO record_facts (id, updated_seq, form, version, area, parent, known, unreadable, created_ms,"
      " updated_ms, is_void, conflicts, worker, title, name, name_sort, village, village_key, sex, born, groups,"
      " links, identity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
      " ?18, ?19, ?20, ?21, ?22)"
      " ON CONFLICT (id) DO UPDATE SET updated_seq = excluded.updated_seq, form = excluded.form,"
      " version = excluded.version, area = excluded.area, parent = excluded.parent, known = excluded.known,"
      " unreadable = 0, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,"
      " is_void = excluded.is_void, conflicts = excluded.conflicts, worker = excluded.worker,"
      " title = excluded.title, name = excluded.name, name_sort = excluded.name_sort, village = excluded.village,"
      " village_key = excluded.village_key, sex = excluded.sex, born = excluded.born, groups = excluded.groups,"
      " links = excluded.links, identity = excluded.identity");
  if (!st.ok()) return st.status();
  const IndexedRecord& r = row.rec;
  st->Bind(1, r.ref.id).Bind(2, r.ref.updated_seq).Bind(3, r.ref.form).Bind(4, int64_t{r.ref.version});
  st->Bind(5, r.ref.area).Bind(6, r.ref.parent).Bind(7, int64_t{row.known ? 1 : 0});
  st->Bind(8, r.summary.created_ms).Bind(9, r.summary.updated_ms).Bind(10, int64_t{r.summary.is_void ? 1 : 0});
  st->Bind(11, static_cast<int64_t>(r.summary.conflicts.size())).Bind(12, r.worker).Bind(13, r.title);
  st->Bind(14, r.name).BindBlob(15, r.name_sort).Bind(16, row.village).Bind(17, row.village_key);
  st->Bind(18, row.sex).Bind(19, row.born).Bind(20, row.groups).Bind(21, row.links).Bind(22, row.identity);
  Status s = st->Run();
  if (!s.ok()) return s;
  auto answers = db.Prepare(
      "INSERT INTO record_answers (id, facts) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET facts = excluded.facts");
  if (!answers.ok()) return answers.status();
  answers->Bind(1, r.ref.id).Bind(2, FactsJson(r.summary));
  return answers->Run();
}

// A record whose state does not decode: kept as a row so it is counted, and left
// out of every read until a new change set rewrites it.
Status UpsertUnreadable(sql::Db& db, const RecordRef& ref) {
  auto st = db.Prepare(
      "INSERT INTO record_facts (id, updated_seq, form, version, area, parent, known, unreadable, created_ms,"
      " updated_ms, is_void, conflicts, worker, title, name, name_sort, village, village_key, sex, born, groups,"
      " links) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 1, 0, 0, 0, 0, '', '', '', ?7, '', '', '', NULL, ' ', '')"
      " ON CONFLICT (id) DO UPDATE SET updated_seq = excluded.updated_seq, area = excluded.area, unreadable = 1");
  if (!st.ok()) return st.status();
  st->Bind(1, ref.id).Bind(2, ref.updated_seq).Bind(3, ref.form).Bind(4, int64_t{ref.version});
  st->Bind(5, ref.area).Bind(6, ref.parent).BindBlob(7, "");
  Status s = st->Run();
  if (!s.ok()) return s;
  auto answers = db.Prepare("DELETE FROM record_answers WHERE id = ?1");
  if (!answers.ok()) return answers.status();
  answers->Bind(1, ref.id);
  return answers->Run();
}

// Writes the rows of `ids` from their records' current state.
Status IndexRecords(sql::Db& db, const FormCatalog& forms, const std::vector<std::string>& ids) {
  auto st = db.Prepare(db.postgres()
                           ? "SELECT id, form, version, area, coalesce(parent, ''), updated_seq, state FROM records"
                             " WHERE id IN (SELECT jsonb_array_elements_text(CAST(?1 AS jsonb)))"
                           : "SELECT id, form, version, area, coalesce(parent, ''), updated_seq, state FROM records"
                             " WHERE id IN (SELECT value FROM json_each(?1))");
  if (!st.ok()) return st.status();
  st->Bind(1, JsonList(ids));
  std::vector<std::pair<RecordRef, Result<RecordState>>> read;
  Status s = sql::ForEachRow(*st, [&] {
    RecordRef ref{st->Text(0), st->Text(1), st->Text(3), st->Text(4), static_cast<int>(st->Int(2)), st->Int(5)};
    read.emplace_back(std::move(ref), DecodeRecordState(st->BlobView(6)));
  });
  if (!s.ok()) return s.Annotate("reading records to index");
  for (auto& [ref, state] : read) {
    s = state.ok() ? Upsert(db, Fill(forms, ref, *state)) : UpsertUnreadable(db, ref);
    if (!s.ok()) return s.Annotate("indexing record " + ref.id);
  }
  return Status::OK();
}

// ---- Reading ----

using Param = std::variant<std::string, int64_t>;

struct Where {
  std::string sql;
  std::vector<Param> params;
  void Add(const std::string& clause) { sql += " AND " + clause; }
  std::string Next(Param p) {
    params.push_back(std::move(p));
    return "?" + std::to_string(params.size());
  }
};

std::string InList(sql::Db& db, Where& w, const std::vector<std::string>& values) {
  const std::string p = w.Next(JsonList(values));
  return db.postgres() ? "(SELECT jsonb_array_elements_text(CAST(" + p + " AS jsonb)))"
                       : "(SELECT value FROM json_each(" + p + "))";
}

// `s` for a LIKE pattern with `\` as its escape.
std::string LikeEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Where WhereOf(sql::Db& db, const RecordQuery& q) {
  Where w;
  w.sql = "unreadable = 0";
  w.Add("area IN " + InList(db, w, q.communes));
  if (!q.area.empty()) w.Add("area = " + w.Next(q.area));
  if (!q.forms.empty()) w.Add("form IN " + InList(db, w, q.forms));
  if (!q.ids.empty()) w.Add("id IN " + InList(db, w, q.ids));
  if (!q.id_prefix.empty()) w.Add("id LIKE " + w.Next(LikeEscaped(q.id_prefix) + "%") + " ESCAPE '\\'");
  if (q.top_level) w.Add("parent = ''");
  // The literal lets the planner use the partial index record_facts_parent.
  if (q.parent) w.Add("parent = " + w.Next(*q.parent) + " AND parent <> ''");
  if (q.conflicts_only) w.Add("conflicts > 0");
  if (q.is_void) w.Add(std::string("is_void = ") + (*q.is_void ? "1" : "0"));
  if (q.created_from_ms) w.Add("created_ms >= " + w.Next(*q.created_from_ms));
  if (q.created_to_ms) w.Add("created_ms <= " + w.Next(*q.created_to_ms));
  if (!q.village_key.empty()) w.Add("village_key = " + w.Next(q.village_key));
  if (!q.sex.empty()) w.Add("sex = " + w.Next(q.sex));
  if (!q.group.empty()) w.Add("groups LIKE " + w.Next("% " + LikeEscaped(q.group) + " %") + " ESCAPE '\\'");
  if (!q.worker.empty()) w.Add("worker = " + w.Next(q.worker));
  if (q.born_from) w.Add("born >= " + w.Next(*q.born_from));
  if (q.born_to) w.Add("born <= " + w.Next(*q.born_to));
  if (!q.may_name.empty()) {
    w.Add("links LIKE " + w.Next("% " + LikeEscaped(q.may_name.substr(0, 8)) + "%") + " ESCAPE '\\'");
  }
  return w;
}

void BindAll(sql::Statement& st, const std::vector<Param>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const int n = static_cast<int>(i + 1);
    if (const auto* s = std::get_if<std::string>(&params[i])) {
      st.Bind(n, *s);
    } else {
      st.Bind(n, std::get<int64_t>(params[i]));
    }
  }
}

// One number over the rows `w` picks: `what` names the reading in an error.
Result<int64_t> Scalar(sql::Db& db, const std::string& expr, const Where& w, const char* what) {
  auto st = db.PrepareUncached("SELECT " + expr + " FROM record_facts WHERE " + w.sql);
  if (!st.ok()) return st.status();
  BindAll(*st, w.params);
  auto row = st->Step();
  if (!row.ok()) return row.status().Annotate(what);
  return *row ? st->Int(0) : int64_t{0};
}

constexpr char kColumns[] =
    "id, form, version, area, parent, updated_seq, created_ms, updated_ms, is_void, title, name, name_sort, worker,"
    " identity";

Status ReadRow(const sql::Statement& st, bool with_answers, IndexedRecord& out) {
  out.ref = RecordRef{st.Text(0), st.Text(1), st.Text(3), st.Text(4), static_cast<int>(st.Int(2)), st.Int(5)};
  out.summary = RecordFacts();
  out.summary.form = out.ref.form;
  out.summary.version = out.ref.version;
  out.summary.area = out.ref.area;
  out.summary.parent = out.ref.parent;
  out.summary.created_ms = st.Int(6);
  out.summary.updated_ms = st.Int(7);
  out.summary.is_void = st.Int(8) != 0;
  out.title = st.Text(9);
  out.name = st.Text(10);
  out.name_sort = st.Blob(11);
  out.worker = st.Text(12);
  out.identity.clear();
  if (!st.TextView(13).empty()) {
    auto id = nlohmann::json::parse(st.TextView(13), nullptr, /*allow_exceptions=*/false);
    if (!id.is_object()) return Status::Corrupt("record " + out.ref.id + ": its indexed identity is malformed");
    for (auto& [field, value] : id.items()) {
      if (value.is_string()) out.identity.emplace(field, value.get<std::string>());
    }
  }
  if (!with_answers) return Status::OK();
  auto j = nlohmann::json::parse(st.TextView(14), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["s"].is_object() || !j["c"].is_array()) {
    return Status::Corrupt("record " + out.ref.id + ": its indexed facts are malformed");
  }
  for (auto& [field, value] : j["s"].items()) {
    if (value.is_string()) out.summary.shown.emplace(field, value.get<std::string>());
  }
  for (const auto& c : j["c"]) {
    if (c.is_string()) out.summary.conflicts.push_back(c.get<std::string>());
  }
  return Status::OK();
}

}  // namespace

const Field* ChildNameField(const Form& form) {
  for (const char* name : {"full_name", "child_name"}) {
    if (const Field* f = form.FindField(name)) return f;
  }
  return nullptr;
}

Status RecordIndex::Refresh(DashboardStore& store, const FormCatalog& forms) {
  sql::Db& db = store.store().db();
  // Most reads find nothing new: look before taking the writers' lock.
  auto newest = store.NewestSetSeq();
  if (!newest.ok()) return newest.status();
  auto seen = store.Meta(kWatermarkKey);
  if (!seen.ok()) return seen.status();
  const bool behind = *newest > (*seen ? std::atoll((*seen)->c_str()) : 0);
  while (behind) {
    sql::Transaction tx(db);
    if (!tx.status().ok()) return tx.status();
    // Read inside the transaction: another process may have moved it meanwhile.
    auto mark = store.Meta(kWatermarkKey);
    if (!mark.ok()) return mark.status();
    const int64_t from = *mark ? std::atoll((*mark)->c_str()) : 0;
    auto st = db.Prepare("SELECT seq, record FROM edit_sets WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    if (!st.ok()) return st.status();
    st->Bind(1, from).Bind(2, int64_t{kRefreshSets});
    int64_t to = from;
    std::set<std::string> changed;
    Status s = sql::ForEachRow(*st, [&] {
      to = st->Int(0);
      changed.insert(st->Text(1));
    });
    if (!s.ok()) return s.Annotate("reading the change sets to index");
    if (to == from) break;
    s = IndexRecords(db, forms, std::vector<std::string>(changed.begin(), changed.end()));
    if (!s.ok()) return s;
    s = store.SetMeta(kWatermarkKey, std::to_string(to));
    if (!s.ok()) return s;
    s = tx.Commit();
    if (!s.ok()) return s;
  }
  // Rows written while their form was not in the catalog (a version published to
  // the server later) have no title nor child's name: again once the forms change.
  std::string catalog;
  for (const Form* f : forms.Latest()) catalog += f->id + "@" + std::to_string(f->version) + " ";
  if (catalog == forms_seen_) return Status::OK();
  auto st = db.Prepare("SELECT id FROM record_facts WHERE known = 0 AND unreadable = 0");
  if (!st.ok()) return st.status();
  std::vector<std::string> unknown;
  Status s = sql::ForEachRow(*st, [&] { unknown.push_back(st->Text(0)); });
  if (!s.ok()) return s;
  for (size_t i = 0; i < unknown.size(); i += kSlice) {
    sql::Transaction tx(db);
    if (!tx.status().ok()) return tx.status();
    const size_t end = std::min(unknown.size(), i + kSlice);
    s = IndexRecords(db, forms, std::vector<std::string>(unknown.begin() + static_cast<long>(i),
                                                         unknown.begin() + static_cast<long>(end)));
    if (!s.ok()) return s;
    s = tx.Commit();
    if (!s.ok()) return s;
  }
  forms_seen_ = std::move(catalog);
  return Status::OK();
}

Result<std::vector<IndexedRecord>> RecordIndex::Select(DashboardStore& store, const RecordQuery& q) {
  std::vector<IndexedRecord> out;
  if (q.communes.empty()) return out;
  sql::Db& db = store.store().db();
  Where w = WhereOf(db, q);
  std::string text = std::string("SELECT ") + kColumns + (q.with_answers ? ", facts" : "") + " FROM record_facts" +
                     (q.with_answers ? " JOIN record_answers USING (id)" : "") + " WHERE " + w.sql;
  switch (q.order) {
    case RecordQuery::Order::kId: text += " ORDER BY id"; break;
    case RecordQuery::Order::kNewest: text += " ORDER BY updated_ms DESC, id DESC"; break;
    case RecordQuery::Order::kOldest: text += " ORDER BY created_ms, id"; break;
    case RecordQuery::Order::kName: text += " ORDER BY name_sort, id"; break;
  }
  if (q.limit > 0) {
    text += " LIMIT " + w.Next(static_cast<int64_t>(q.limit));
    text += " OFFSET " + w.Next(static_cast<int64_t>(q.offset));
  }
  auto st = db.PrepareUncached(text);
  if (!st.ok()) return st.status();
  BindAll(*st, w.params);
  Status s = sql::ForEachRow(*st, [&]() -> Status {
    out.emplace_back();
    return ReadRow(*st, q.with_answers, out.back());
  });
  if (!s.ok()) return s.Annotate("reading the record index");
  return out;
}

Status RecordIndex::ForEach(DashboardStore& store, const RecordQuery& q,
                            const std::function<Status(IndexedRecord&)>& each) {
  sql::Db& db = store.store().db();
  // A commune at a time, a slice at a time by id (index record_facts_area): on
  // PostgreSQL a result is read whole into memory, and a slice costs what it reads.
  for (const std::string& commune : q.communes) {
    if (!q.area.empty() && commune != q.area) continue;
    RecordQuery one = q;
    one.communes = {commune};
    // Equality too: PostgreSQL walks record_facts_area from that commune on, where
    // "area IN (a list)" alone made it walk every commune before it (a province: 20 ms
    // a read).
    one.area = commune;
    // A range of births (a year of the duplicate scan) walks index record_facts_born
    // in birth order, so a slice reads only those rows and each page starts where the
    // last ended; otherwise record_facts_area in id order. (SQLite, without
    // statistics, may pick another index and sort every slice.)
    const bool by_birth = q.born_from || q.born_to;
    const int born_column = q.with_answers ? 15 : 14;
    std::string after;
    int64_t after_born = 0;
    for (;;) {
      Where w = WhereOf(db, one);
      if (!by_birth) {
        w.Add("id > " + w.Next(after));
      } else if (!after.empty()) {
        const std::string born = w.Next(after_born);
        w.Add("(born > " + born + " OR (born = " + born + " AND id > " + w.Next(after) + "))");
      }
      const char* index = by_birth ? " INDEXED BY record_facts_born" : " INDEXED BY record_facts_area";
      const std::string text = std::string("SELECT ") + kColumns + (q.with_answers ? ", facts" : "") +
                               ", born FROM record_facts" + (db.postgres() ? "" : index) +
                               (q.with_answers ? " JOIN record_answers USING (id)" : "") + " WHERE " + w.sql +
                               (by_birth ? " ORDER BY area, born, id" : " ORDER BY area, id") + " LIMIT " +
                               std::to_string(kSlice);
      auto st = db.PrepareUncached(text);
      if (!st.ok()) return st.status();
      BindAll(*st, w.params);
      std::vector<IndexedRecord> slice;
      Status s = sql::ForEachRow(*st, [&]() -> Status {
        slice.emplace_back();
        after_born = st->Int(born_column);
        return ReadRow(*st, q.with_answers, slice.back());
      });
      if (!s.ok()) return s.Annotate("reading the record index");
      const bool last = slice.size() < static_cast<size_t>(kSlice);
      if (!slice.empty()) after = slice.back().ref.id;  // before `each`, which may take the record apart
      for (IndexedRecord& rec : slice) {
        s = each(rec);
        if (!s.ok()) return s;
      }
      if (last) break;
    }
  }
  return Status::OK();
}

Result<size_t> RecordIndex::Count(DashboardStore& store, const RecordQuery& q) {
  if (q.communes.empty()) return size_t{0};
  sql::Db& db = store.store().db();
  auto n = Scalar(db, "count(*)", WhereOf(db, q), "counting records");
  if (!n.ok()) return n.status();
  return static_cast<size_t>(*n);
}

Result<int64_t> RecordIndex::NewestSeq(DashboardStore& store, const RecordQuery& q) {
  if (q.communes.empty()) return int64_t{0};
  sql::Db& db = store.store().db();
  return Scalar(db, "coalesce(max(updated_seq), 0)", WhereOf(db, q), "reading the newest record change");
}

Result<std::vector<std::pair<std::string, int64_t>>> RecordIndex::Facet(DashboardStore& store, const RecordQuery& q,
                                                                        const std::string& column) {
  std::vector<std::pair<std::string, int64_t>> out;
  if (q.communes.empty()) return out;
  if (column != "worker" && column != "village") return Status::InvalidArgument("no facet " + column);
  sql::Db& db = store.store().db();
  Where w = WhereOf(db, q);
  auto st = db.PrepareUncached("SELECT " + column + ", count(*) FROM record_facts WHERE " + w.sql + " AND " + column +
                               " <> '' GROUP BY " + column);
  if (!st.ok()) return st.status();
  BindAll(*st, w.params);
  Status s = sql::ForEachRow(*st, [&] { out.emplace_back(st->Text(0), st->Int(1)); });
  if (!s.ok()) return s.Annotate("reading the " + column + "s of the records");
  return out;
}

Result<int64_t> RecordIndex::Watermark(DashboardStore& store) {
  auto seen = store.Meta(kWatermarkKey);
  if (!seen.ok()) return seen.status();
  return *seen ? static_cast<int64_t>(std::atoll((*seen)->c_str())) : int64_t{0};
}

Result<size_t> RecordIndex::Unreadable(DashboardStore& store, const std::vector<std::string>& communes) {
  if (communes.empty()) return size_t{0};
  sql::Db& db = store.store().db();
  Where w;
  w.sql = "unreadable = 1";
  w.Add("area IN " + InList(db, w, communes));
  auto n = Scalar(db, "count(*)", w, "counting unreadable records");
  if (!n.ok()) return n.status();
  return static_cast<size_t>(*n);
}

Result<std::optional<IndexedRecord>> RecordIndex::One(DashboardStore& store, const FormCatalog& forms,
                                                      const std::string& id) {
  auto row = store.store().LoadRecord(id);
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<IndexedRecord>();
  RecordRef ref{id, (*row)->form, (*row)->area, (*row)->parent, (*row)->version, -1};
  return std::optional<IndexedRecord>(Fill(forms, ref, (*row)->state).rec);
}

}  // namespace sotay::server::web
