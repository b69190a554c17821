// ServerStore: the append-only edit history, refused edits and merged records.
#include <algorithm>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "store/server_store.h"
#include "sotay/codec.h"

namespace sotay::server {

namespace {

// A base as JSON text: [["device", counter], ...], readable in SQL. A refused edit
// is kept with its base as sent, whose ids may not be UTF-8: those bytes become
// U+FFFD rather than an exception.
std::string BaseText(const std::vector<Dot>& base) {
  nlohmann::json out = nlohmann::json::array();
  for (const Dot& d : base) out.push_back(nlohmann::json::array({d.device, d.counter}));
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Binds the edit's columns to ?1..?9 in the order device, counter, record, field,
// value, hlc_ms, hlc_counter, base, author.
void BindEdit(sql::Statement& st, const Edit& e) {
  st.Bind(1, e.dot.device).Bind(2, static_cast<int64_t>(e.dot.counter)).Bind(3, e.record).Bind(4, e.field);
  st.Bind(5, e.value).Bind(6, e.hlc.ms).Bind(7, int64_t{e.hlc.counter}).Bind(8, BaseText(e.base));
  st.Bind(9, e.author);
}

}  // namespace

Result<std::vector<CounterRange>> ServerStore::KnownRanges(const std::string& device, uint64_t lo, uint64_t hi) {
  std::vector<CounterRange> out;
  // The set that starts at or before `lo` (it may reach into [lo, hi]), then every
  // set that starts inside: both walks of the (device, first_counter) index.
  auto floor = db_.Prepare(
      "SELECT first_counter, last_counter FROM edit_sets WHERE device = ?1 AND first_counter <= ?2"
      " ORDER BY first_counter DESC LIMIT 1");
  if (!floor.ok()) return floor.status();
  floor->Bind(1, device).Bind(2, static_cast<int64_t>(lo));
  auto row = floor->Step();
  if (!row.ok()) return row.status();
  if (*row) out.push_back({static_cast<uint64_t>(floor->Int(0)), static_cast<uint64_t>(floor->Int(1))});
  auto inside = db_.Prepare(
      "SELECT first_counter, last_counter FROM edit_sets WHERE device = ?1 AND first_counter > ?2"
      " AND first_counter <= ?3 ORDER BY first_counter");
  if (!inside.ok()) return inside.status();
  inside->Bind(1, device).Bind(2, static_cast<int64_t>(lo)).Bind(3, static_cast<int64_t>(hi));
  Status s = sql::ForEachRow(*inside, [&] {
    out.push_back({static_cast<uint64_t>(inside->Int(0)), static_cast<uint64_t>(inside->Int(1))});
  });
  if (!s.ok()) return s;
  return out;
}

namespace {

Status CheckRun(const std::vector<Edit>& run) {
  if (run.empty()) return Status::InvalidArgument("an empty set of edits");
  for (size_t i = 1; i < run.size(); ++i) {
    if (run[i].record != run[0].record || run[i].dot.device != run[0].dot.device ||
        run[i].dot.counter != run[i - 1].dot.counter + 1) {
      return Status::InvalidArgument("a set holds consecutive edits of one device and one record");
    }
  }
  return Status::OK();
}

// Binds a record's clear columns and state to ?first.. (form, version, area, parent,
// state), as SaveRecord stores them.
void BindRecord(sql::Statement& st, int first, const RecordState& state) {
  const std::string parent = state.Shown(kParentField);
  st.Bind(first, state.Shown(kFormField));
  st.Bind(first + 1, static_cast<int64_t>(std::atoi(state.Shown(kVersionField).c_str())));
  st.Bind(first + 2, state.Shown(kAreaField));
  if (parent.empty()) {
    st.BindNull(first + 3);
  } else {
    st.Bind(first + 3, parent);
  }
  st.BindBlob(first + 4, EncodeRecordState(state));
}

}  // namespace

Status ServerStore::StoreRecords(const std::vector<RecordWrite>& writes, int64_t now_ms) {
  for (const RecordWrite& w : writes) {
    if (w.runs.empty()) return Status::InvalidArgument("a record write without a set");
    for (const auto& run : w.runs) {
      Status checked = CheckRun(run);
      if (!checked.ok()) return checked;
    }
  }
  if (!db_.postgres()) {
    // In process, a statement costs little: one row at a time.
    for (const RecordWrite& w : writes) {
      int64_t last = 0;
      for (const auto& run : w.runs) {
        auto seq = InsertSet(run, now_ms);
        if (!seq.ok()) return seq.status();
        last = *seq;
      }
      const std::string& id = w.runs[0][0].record;
      Status s = SaveRecord(id, w.state, last);
      if (s.ok() && !w.moved_from.empty()) {
        s = AddMove(MoveRow{last, id, w.moved_from, w.state.Shown(kAreaField), now_ms});
      }
      if (!s.ok()) return s;
    }
    return Status::OK();
  }
  // PostgreSQL: every set in multi-row INSERTs (at most kRows rows, so within the
  // protocol's 65,535 parameters), their seqs read back by (device, first_counter),
  // then every record in multi-row upserts. SQL built here from fixed parts only.
  constexpr size_t kRows = 2000;
  std::vector<const std::vector<Edit>*> runs;
  for (const RecordWrite& w : writes) {
    for (const auto& run : w.runs) runs.push_back(&run);
  }
  std::map<std::pair<std::string, uint64_t>, int64_t> seq_of;  // (device, first counter) -> seq
  for (size_t from = 0; from < runs.size(); from += kRows) {
    const size_t n = std::min(kRows, runs.size() - from);
    std::string text = "INSERT INTO edit_sets (record, device, first_counter, last_counter, edits, received_ms) VALUES ";
    for (size_t i = 0; i < n; ++i) {
      const size_t p = 6 * i;
      text += (i == 0 ? "(?" : ", (?") + std::to_string(p + 1);
      for (size_t k = 2; k <= 6; ++k) text += ", ?" + std::to_string(p + k);
      text += ")";
    }
    text += " RETURNING seq, device, first_counter";
    auto st = db_.PrepareUncached(text);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < n; ++i) {
      const std::vector<Edit>& run = *runs[from + i];
      const int p = static_cast<int>(6 * i);
      st->Bind(p + 1, run[0].record).Bind(p + 2, run[0].dot.device).Bind(p + 3, static_cast<int64_t>(run.front().dot.counter));
      st->Bind(p + 4, static_cast<int64_t>(run.back().dot.counter)).BindBlob(p + 5, EncodeEditGroup(run)).Bind(p + 6, now_ms);
    }
    Status s = sql::ForEachRow(*st, [&] {
      seq_of[{st->Text(1), static_cast<uint64_t>(st->Int(2))}] = st->Int(0);
    });
    if (!s.ok()) return s;
  }
  auto last_seq = [&](const RecordWrite& w) -> int64_t {
    const Edit& first = w.runs.back().front();
    auto it = seq_of.find({first.dot.device.str(), first.dot.counter});
    return it == seq_of.end() ? 0 : it->second;
  };
  for (size_t from = 0; from < writes.size(); from += kRows) {
    const size_t n = std::min(kRows, writes.size() - from);
    std::string text = "INSERT INTO records (id, form, version, area, parent, state, created_seq, updated_seq) VALUES ";
    for (size_t i = 0; i < n; ++i) {
      const size_t p = 7 * i;
      text += (i == 0 ? "(?" : ", (?") + std::to_string(p + 1);
      for (size_t k = 2; k <= 7; ++k) text += ", ?" + std::to_string(p + k);
      text += ", ?" + std::to_string(p + 7) + ")";  // created_seq = updated_seq for a new record
    }
    text +=
        " ON CONFLICT (id) DO UPDATE SET form = excluded.form, version = excluded.version, area = excluded.area,"
        " parent = excluded.parent, state = excluded.state, updated_seq = excluded.updated_seq";
    auto st = db_.PrepareUncached(text);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < n; ++i) {
      const RecordWrite& w = writes[from + i];
      const int64_t seq = last_seq(w);
      if (seq == 0) return Status::IOError("store a change set: its sequence number did not come back");
      const int p = static_cast<int>(7 * i);
      st->Bind(p + 1, w.runs[0][0].record);
      BindRecord(*st, p + 2, w.state);
      st->Bind(p + 7, seq);
    }
    Status s = st->Run();
    if (!s.ok()) return s;
  }
  for (const RecordWrite& w : writes) {
    if (w.moved_from.empty()) continue;
    Status s = AddMove(MoveRow{last_seq(w), w.runs[0][0].record, w.moved_from, w.state.Shown(kAreaField), now_ms});
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<int64_t> ServerStore::AppendSet(const std::vector<Edit>& run, int64_t now_ms) {
  Status checked = CheckRun(run);
  if (!checked.ok()) return checked;
  return InsertSet(run, now_ms);
}

Result<int64_t> ServerStore::InsertSet(const std::vector<Edit>& run, int64_t now_ms) {
  // SQLite's rowid is the seq (RETURNING would build a temp table per row there);
  // PostgreSQL says it in the answer.
  auto st = db_.Prepare(db_.postgres() ? "INSERT INTO edit_sets (record, device, first_counter, last_counter, edits,"
                                         " received_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING seq"
                                       : "INSERT INTO edit_sets (record, device, first_counter, last_counter, edits,"
                                         " received_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st.ok()) return st.status();
  st->Bind(1, run[0].record).Bind(2, run[0].dot.device).Bind(3, static_cast<int64_t>(run.front().dot.counter));
  st->Bind(4, static_cast<int64_t>(run.back().dot.counter)).BindBlob(5, EncodeEditGroup(run)).Bind(6, now_ms);
  if (db_.postgres()) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::IOError("store a change set: no sequence number came back");
    return st->Int(0);
  }
  Status s = st->Run();
  if (!s.ok()) return s;
  return db_.lite()->last_insert_rowid();
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
  auto state = DecodeRecordState(st->BlobView(0));
  if (!state.ok()) return state.status().Annotate("record " + id);
  return std::optional<RecordRow>(
      RecordRow{std::move(state).value(), st->Text(1), static_cast<int>(st->Int(2)), st->Text(3), st->Text(4)});
}

Result<std::unordered_map<std::string, RecordRow>> ServerStore::LoadRecords(const std::vector<std::string>& ids) {
  std::unordered_map<std::string, RecordRow> out;
  if (ids.empty()) return out;
  auto st = db_.Prepare(db_.postgres()
                            ? "SELECT id, state, form, version, area, coalesce(parent, '') FROM records"
                              " WHERE id IN (SELECT jsonb_array_elements_text(CAST(?1 AS jsonb)))"
                            : "SELECT id, state, form, version, area, coalesce(parent, '') FROM records"
                              " WHERE id IN (SELECT value FROM json_each(?1))");
  if (!st.ok()) return st.status();
  // Ids arrive from devices: a byte that is not UTF-8 becomes U+FFFD here, so such an
  // id is simply not found (and is read alone by LoadRecord).
  st->Bind(1, nlohmann::json(ids).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  Status s = sql::ForEachRow(*st, [&]() -> Status {
    std::string id = st->Text(0);
    auto state = DecodeRecordState(st->BlobView(1));
    if (!state.ok()) return state.status().Annotate("record " + id);
    out.emplace(std::move(id), RecordRow{std::move(state).value(), st->Text(2), static_cast<int>(st->Int(3)),
                                         st->Text(4), st->Text(5)});
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

Status ServerStore::SaveRecord(const std::string& id, const RecordState& state, int64_t seq) {
  auto st = db_.Prepare(
      "INSERT INTO records (id, form, version, area, parent, state, created_seq, updated_seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
      " ON CONFLICT (id) DO UPDATE SET form = excluded.form, version = excluded.version, area = excluded.area,"
      " parent = excluded.parent, state = excluded.state, updated_seq = excluded.updated_seq");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  BindRecord(*st, 2, state);
  st->Bind(7, seq);
  return st->Run();
}

Status ServerStore::ScanSetsAfter(int64_t after, const std::string& exclude_device,
                                  const std::vector<std::string>& communes,
                                  const std::function<bool(StoredSet&)>& visit) {
  if (communes.empty()) return Status::OK();
  // The communes travel as one bound JSON array, expanded by json_each (SQLite) or
  // jsonb_array_elements_text (PostgreSQL). SQLite's CROSS JOIN keeps the history the
  // outer loop: SQLite otherwise starts from the area's records and sorts everything
  // after the cursor for one page. Read a page of sets at a time: PostgreSQL's
  // results come whole, and a new device's first pull may follow a province's history.
  constexpr int64_t kSetsARead = 1024;
  const std::string areas = nlohmann::json(communes).dump();
  StoredSet set;
  for (int64_t from = after;;) {
    auto st = db_.Prepare(
        db_.postgres()
            ? "SELECT s.seq, s.edits, s.received_ms, s.last_counter - s.first_counter + 1, s.record"
              " FROM edit_sets s JOIN records r ON r.id = s.record"
              " WHERE s.seq > ?1 AND s.device <> ?2 AND r.area IN (SELECT jsonb_array_elements_text(CAST(?3 AS jsonb)))"
              " ORDER BY s.seq LIMIT ?4"
            : "SELECT s.seq, s.edits, s.received_ms, s.last_counter - s.first_counter + 1, s.record"
              " FROM edit_sets s CROSS JOIN records r ON r.id = s.record"
              " WHERE s.seq > ?1 AND s.device <> ?2 AND r.area IN (SELECT value FROM json_each(?3))"
              " ORDER BY s.seq LIMIT ?4");
    if (!st.ok()) return st.status();
    st->Bind(1, from).Bind(2, exclude_device).Bind(3, areas).Bind(4, kSetsARead);
    int64_t rows = 0;
    bool stopped = false;
    Status s = sql::ForEachRow(*st, [&] {
      ++rows;
      set.seq = st->Int(0);
      set.edits.assign(st->BlobView(1));  // into the string kept across rows: no allocation once warm
      set.received_ms = st->Int(2);
      set.count = static_cast<size_t>(st->Int(3));
      set.record.assign(st->TextView(4));
      from = set.seq;
      stopped = !visit(set);
      return !stopped;
    });
    if (!s.ok() || stopped || rows < kSetsARead) return s;
  }
}

Result<std::vector<StoredEdit>> ServerStore::HistoryOf(const std::string& record) {
  auto st = db_.Prepare("SELECT seq, edits, received_ms FROM edit_sets WHERE record = ?1 ORDER BY seq");
  if (!st.ok()) return st.status();
  st->Bind(1, record);
  std::vector<StoredEdit> out;
  Status s = sql::ForEachRow(*st, [&]() -> Status {
    auto edits = DecodeEditGroup(st->BlobView(1));
    if (!edits.ok()) return edits.status().Annotate("edit set " + std::to_string(st->Int(0)));
    for (Edit& e : *edits) out.push_back(StoredEdit{st->Int(0), std::move(e), st->Int(2)});
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

// Transfers: separate from the write path above (a move is an ordinary _area edit
// there; these only index it for the pull).
Status ServerStore::AddMove(const MoveRow& m) {
  auto st = db_.Prepare(
      "INSERT INTO moves (seq, record, from_area, to_area, moved_ms) VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (seq, record) DO UPDATE SET to_area = excluded.to_area");
  if (!st.ok()) return st.status();
  st->Bind(1, m.seq).Bind(2, m.record).Bind(3, m.from).Bind(4, m.to).Bind(5, m.moved_ms);
  return st->Run();
}

namespace {
MoveRow ReadMove(sql::Statement& st) {
  return MoveRow{st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)};
}
}  // namespace

Result<std::vector<MoveRow>> ServerStore::MovesBetween(int64_t after, int64_t through) {
  auto st = db_.Prepare(
      "SELECT seq, record, from_area, to_area, moved_ms FROM moves WHERE seq > ?1 AND seq <= ?2 ORDER BY seq");
  if (!st.ok()) return st.status();
  st->Bind(1, after).Bind(2, through);
  std::vector<MoveRow> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(ReadMove(*st)); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<MoveRow>> ServerStore::MovesOf(const std::string& record) {
  auto st = db_.Prepare(
      "SELECT seq, record, from_area, to_area, moved_ms FROM moves WHERE record = ?1 ORDER BY seq");
  if (!st.ok()) return st.status();
  st->Bind(1, record);
  std::vector<MoveRow> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(ReadMove(*st)); });
  if (!s.ok()) return s;
  return out;
}

Status ServerStore::ScanRecordSetsThrough(const std::string& record, int64_t through,
                                          const std::function<bool(StoredSet&)>& visit) {
  auto st = db_.Prepare(
      "SELECT seq, edits, received_ms, last_counter - first_counter + 1 FROM edit_sets"
      " WHERE record = ?1 AND seq <= ?2 ORDER BY seq");
  if (!st.ok()) return st.status();
  st->Bind(1, record).Bind(2, through);
  StoredSet set;
  return sql::ForEachRow(*st, [&] {
    set.seq = st->Int(0);
    set.edits.assign(st->BlobView(1));
    set.received_ms = st->Int(2);
    set.count = static_cast<size_t>(st->Int(3));
    set.record = record;
    return visit(set);
  });
}

Result<int64_t> ServerStore::LastSeq() { return db_.QueryInt("SELECT coalesce(max(seq), 0) FROM edit_sets"); }

}  // namespace sotay::server
