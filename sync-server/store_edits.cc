// ServerStore: the append-only edit history, refused edits and merged records.
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "server_store.h"
#include "sotay/codec.h"

namespace sotay::server {

namespace {

// A base as JSON text: [["device", counter], ...], readable in SQL.
std::string BaseText(const std::vector<Dot>& base) {
  nlohmann::json out = nlohmann::json::array();
  for (const Dot& d : base) out.push_back(nlohmann::json::array({d.device, d.counter}));
  return out.dump();
}

Result<std::vector<Dot>> BaseFrom(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Status::Corrupt("a stored base is not a list");
  std::vector<Dot> out;
  for (const auto& d : j) {
    if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !d[1].is_number_unsigned()) {
      return Status::Corrupt("a stored base is malformed");
    }
    out.push_back(Dot{d[0].get<std::string>(), d[1].get<uint64_t>()});
  }
  return out;
}

// Binds the edit's columns to ?1..?9 in the order device, counter, record, field,
// value, hlc_ms, hlc_counter, base, author.
void BindEdit(Statement& st, const Edit& e) {
  st.Bind(1, e.dot.device).Bind(2, static_cast<int64_t>(e.dot.counter)).Bind(3, e.record).Bind(4, e.field);
  st.Bind(5, e.value).Bind(6, e.hlc.ms).Bind(7, int64_t{e.hlc.counter}).Bind(8, BaseText(e.base));
  st.Bind(9, e.author);
}

// Rows of (seq, device, counter, record, field, value, hlc_ms, hlc_counter, base,
// author[, received_ms]).
Result<std::vector<StoredEdit>> ReadEdits(Statement& st) {
  std::vector<StoredEdit> out;
  for (;;) {
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StoredEdit s;
    s.seq = st.Int(0);
    Edit& e = s.edit;
    e.dot = Dot{st.Text(1), static_cast<uint64_t>(st.Int(2))};
    e.record = st.Text(3);
    e.field = st.Text(4);
    e.value = st.Text(5);
    e.hlc = Hlc{st.Int(6), static_cast<uint32_t>(st.Int(7)), e.dot.device};
    auto base = BaseFrom(st.Text(8));
    if (!base.ok()) return base.status().Annotate("edit " + std::to_string(s.seq));
    e.base = std::move(base).value();
    e.author = st.Text(9);
    if (st.ColumnCount() > 10) s.received_ms = st.Int(10);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<bool> ServerStore::HasEdit(const Dot& dot) {
  auto st = db_.Prepare("SELECT 1 FROM edits WHERE device = ?1 AND counter = ?2");
  if (!st.ok()) return st.status();
  st->Bind(1, dot.device).Bind(2, static_cast<int64_t>(dot.counter));
  return st->Step();
}

Result<int64_t> ServerStore::AppendEdit(const Edit& e, int64_t now_ms) {
  auto st = db_.Prepare(
      "INSERT INTO edits (device, counter, record, field, value, hlc_ms, hlc_counter, base, author, received_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!st.ok()) return st.status();
  BindEdit(*st, e);
  st->Bind(10, now_ms);
  Status s = st->Run();
  if (!s.ok()) return s;
  return db_.last_insert_rowid();  // seq: INTEGER PRIMARY KEY
}

Status ServerStore::KeepRejected(const Edit& e, const std::string& sender, const std::string& reason,
                                 int64_t now_ms) {
  auto st = db_.Prepare(
      "INSERT INTO rejected (device, counter, record, field, value, hlc_ms, hlc_counter, base, author, reason,"
      " received_ms, sender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
      " ON CONFLICT (sender, device, counter) DO UPDATE SET reason = excluded.reason,"
      " received_ms = excluded.received_ms");
  if (!st.ok()) return st.status();
  BindEdit(*st, e);
  st->Bind(10, reason).Bind(11, now_ms).Bind(12, sender);
  return st->Run();
}

Result<std::optional<RecordRow>> ServerStore::LoadRecord(const std::string& id) {
  auto st = db_.Prepare("SELECT state, form, version, area, coalesce(parent, '') FROM records WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RecordRow>();
  auto state = DecodeRecordState(st->Blob(0));
  if (!state.ok()) return state.status().Annotate("record " + id);
  return std::optional<RecordRow>(
      RecordRow{std::move(state).value(), st->Text(1), static_cast<int>(st->Int(2)), st->Text(3), st->Text(4)});
}

Status ServerStore::SaveRecord(const std::string& id, const RecordState& state, int64_t seq) {
  auto st = db_.Prepare(
      "INSERT INTO records (id, form, version, area, parent, state, created_seq, updated_seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
      " ON CONFLICT (id) DO UPDATE SET form = excluded.form, version = excluded.version, area = excluded.area,"
      " parent = excluded.parent, state = excluded.state, updated_seq = excluded.updated_seq");
  if (!st.ok()) return st.status();
  const std::string parent = state.Shown(kParentField);
  st->Bind(1, id).Bind(2, state.Shown(kFormField));
  st->Bind(3, static_cast<int64_t>(std::atoi(state.Shown(kVersionField).c_str())));
  st->Bind(4, state.Shown(kAreaField));
  if (parent.empty()) {
    st->BindNull(5);
  } else {
    st->Bind(5, parent);
  }
  st->BindBlob(6, EncodeRecordState(state)).Bind(7, seq);
  return st->Run();
}

Result<std::vector<StoredEdit>> ServerStore::EditsAfter(int64_t after, const std::string& exclude_device,
                                                       const std::vector<std::string>& communes, int64_t limit) {
  if (communes.empty() || limit <= 0) return std::vector<StoredEdit>();
  // The communes travel as one bound JSON array, expanded by json_each.
  // CROSS JOIN keeps edits the outer loop: SQLite otherwise starts from the area's
  // records, gathers every edit after the cursor and sorts them all for one page
  // (132 ms a page on 236,000 edits, against 6 ms walking seq in order).
  auto st = db_.Prepare(
      "SELECT e.seq, e.device, e.counter, e.record, e.field, e.value, e.hlc_ms, e.hlc_counter, e.base, e.author"
      " FROM edits e CROSS JOIN records r ON r.id = e.record"
      " WHERE e.seq > ?1 AND e.device <> ?2 AND r.area IN (SELECT value FROM json_each(?3))"
      " ORDER BY e.seq LIMIT ?4");
  if (!st.ok()) return st.status();
  st->Bind(1, after).Bind(2, exclude_device).Bind(3, nlohmann::json(communes).dump()).Bind(4, limit);
  return ReadEdits(*st);
}

Result<std::vector<StoredEdit>> ServerStore::HistoryOf(const std::string& record) {
  auto st = db_.Prepare(
      "SELECT seq, device, counter, record, field, value, hlc_ms, hlc_counter, base, author, received_ms"
      " FROM edits WHERE record = ?1 ORDER BY seq");
  if (!st.ok()) return st.status();
  st->Bind(1, record);
  return ReadEdits(*st);
}

Result<int64_t> ServerStore::LastSeq() { return db_.QueryInt("SELECT coalesce(max(seq), 0) FROM edits"); }

}  // namespace sotay::server
