// store_bench: what the encrypted notebook costs on this machine.
//
//   store_bench [N]      (N records, default 2000)
//
// Prints, for N child-profile records of ~25 fields:
//  - encrypted store writes/s and reads/s, and the same rows written to and read
//    from plain SQLite (same schema, WAL, synchronous=FULL, same transactions), with
//    the ratio: the price of sealing every row;
//  - whole records saved through the Notebook (validation, merge, codec, sealing);
//  - merge applications/s (the pure function, no I/O);
//  - the Argon2id unlock time with the default limits.
// The last line is one JSON object with every figure, to compare runs.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sotay/codec.h"
#include "sotay/notebook.h"
#include "sotay/read_file.h"
#include "sotay/sealed_store.h"

using namespace sotay;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Row {
  Table table;
  std::string key, index;
  int64_t stamp;
  std::string bytes;
};

// The rows one new record puts in the store: its edits, their outbox entries, its state.
struct RecordRows {
  std::vector<Row> rows;
};

Answers ChildAnswers(int i) {
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Vàng"};
  static const char* given[] = {"Thị Ánh", "Văn An", "Minh Châu", "Thu Hà", "Văn Páo", "Thị Mai"};
  return {{"full_name", std::string(family[i % 10]) + " " + given[i % 6] + " " + std::to_string(i)},
          {"sex", i % 2 ? "male" : "female"},  {"dob", "2015-03-21"},
          {"ethnicity", "tay"},                 {"birth_registered", "yes"},
          {"personal_id", i % 2 ? "001215012345" : "001315012345"},
          {"village", "Bản Phố"},               {"living_with", "relatives"},
          {"caregiver_name", "Hoàng Văn Hải"},  {"caregiver_phone", "0912345678"},
          {"household_poverty", "poor"},        {"in_school", "yes"},
          {"school_level", "primary"},          {"health_insurance", "yes"},
          {"disability", "no"},                 {"special_circumstances", "h k"},
          {"notes", "Gia đình có ba con, bố đi làm ăn xa; trẻ ở với bà ngoại."}};
}

std::vector<RecordRows> MakeRows(int n, std::vector<std::vector<Edit>>& edits_out) {
  std::vector<RecordRows> out;
  std::mt19937_64 rng(7);
  uint64_t counter = 0;
  for (int i = 0; i < n; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "%08llx-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(rng() & 0xffffffff),
                  static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
    std::vector<Edit> edits;
    auto add = [&](const std::string& f, const std::string& v) {
      ++counter;
      edits.push_back(Edit{{"benchdevice01", counter}, id, f, v,
                           {1795000000000 + static_cast<int64_t>(counter), 0, "benchdevice01"}, {}, "worker-1"});
    };
    add(kStatusField, kStatusActive);
    add(kFormField, "child_profile");
    add(kVersionField, "1");
    add(kAreaField, "01234");
    for (const auto& [f, v] : ChildAnswers(i)) add(f, v);
    RecordState state;
    RecordRows rr;
    char key[64];
    for (const Edit& e : edits) {
      state.Apply(e);
      std::snprintf(key, sizeof key, "benchdevice01:%020llu", static_cast<unsigned long long>(e.dot.counter));
      rr.rows.push_back(Row{Table::kEdits, key, id, e.hlc.ms, EncodeEditGroup(std::vector<Edit>{e})});
      std::snprintf(key, sizeof key, "%020llu", static_cast<unsigned long long>(e.dot.counter));
      rr.rows.push_back(Row{Table::kOutbox, key, "", e.hlc.ms, rr.rows[rr.rows.size() - 1].key});
    }
    rr.rows.push_back(Row{Table::kRecords, id, "child_profile", 1795000000000, EncodeRecordState(state)});
    out.push_back(std::move(rr));
    edits_out.push_back(std::move(edits));
  }
  return out;
}

// The plain-SQLite floor speaks the raw sqlite3 API on purpose, not the store's layer
// (core/src/sqlite): it measures what the layer and the sealing add.
void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "plain sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

struct Timing {
  double write_s = 0, read_s = 0;
};

Timing Plain(const std::string& path, const std::vector<RecordRows>& records) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"
                     "CREATE TABLE records(key TEXT PRIMARY KEY, idx TEXT NOT NULL, stamp INTEGER NOT NULL, sealed BLOB NOT NULL);"
                     "CREATE INDEX records_by_idx ON records(idx, key);"
                     "CREATE TABLE edits(key TEXT PRIMARY KEY, idx TEXT NOT NULL, stamp INTEGER NOT NULL, sealed BLOB NOT NULL);"
                     "CREATE INDEX edits_by_idx ON edits(idx, key);"
                     "CREATE TABLE outbox(key TEXT PRIMARY KEY, idx TEXT NOT NULL, stamp INTEGER NOT NULL, sealed BLOB NOT NULL);"
                     "CREATE INDEX outbox_by_idx ON outbox(idx, key);",
                     nullptr, nullptr, nullptr),
        db, "schema");
  sqlite3_stmt* ins[3];
  const char* names[3] = {"records", "edits", "outbox"};
  for (int t = 0; t < 3; ++t) {
    std::string sql = std::string("INSERT OR REPLACE INTO ") + names[t] + "(key, idx, stamp, sealed) VALUES (?, ?, ?, ?)";
    Check(sqlite3_prepare_v2(db, sql.c_str(), -1, &ins[t], nullptr), db, "prepare");
  }
  auto which = [](Table t) { return t == Table::kRecords ? 0 : t == Table::kEdits ? 1 : 2; };
  Timing t;
  auto start = Clock::now();
  for (const RecordRows& r : records) {
    Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    for (const Row& row : r.rows) {
      sqlite3_stmt* st = ins[which(row.table)];
      sqlite3_bind_text(st, 1, row.key.data(), static_cast<int>(row.key.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 2, row.index.data(), static_cast<int>(row.index.size()), SQLITE_STATIC);
      sqlite3_bind_int64(st, 3, row.stamp);
      sqlite3_bind_blob(st, 4, row.bytes.data(), static_cast<int>(row.bytes.size()), SQLITE_STATIC);
      Check(sqlite3_step(st), db, "insert");
      sqlite3_reset(st);
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  t.write_s = Seconds(start);
  sqlite3_stmt* sel = nullptr;
  Check(sqlite3_prepare_v2(db, "SELECT sealed FROM records WHERE key = ?", -1, &sel, nullptr), db, "prepare");
  std::vector<size_t> order(records.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  size_t bytes = 0;
  start = Clock::now();
  for (size_t i : order) {
    const std::string& key = records[i].rows.back().key;
    sqlite3_bind_text(sel, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    Check(sqlite3_step(sel), db, "select");
    std::string copy(static_cast<const char*>(sqlite3_column_blob(sel, 0)),
                     static_cast<size_t>(sqlite3_column_bytes(sel, 0)));
    bytes += copy.size();
    sqlite3_reset(sel);
  }
  t.read_s = Seconds(start);
  if (bytes == 0) std::exit(1);
  sqlite3_finalize(sel);
  for (sqlite3_stmt* st : ins) sqlite3_finalize(st);
  sqlite3_close(db);
  return t;
}

Timing Sealed(const std::string& path, const std::vector<RecordRows>& records) {
  auto store = SealedStore::Create(path, "bench passphrase", KdfLimits::Fast());
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  SealedStore& s = **store;
  Timing t;
  auto start = Clock::now();
  for (const RecordRows& r : records) {
    Status st = s.Begin();
    for (const Row& row : r.rows) {
      if (st.ok()) st = s.Put(row.table, row.key, row.index, row.stamp, row.bytes);
    }
    if (st.ok()) st = s.Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      std::exit(1);
    }
  }
  t.write_s = Seconds(start);
  std::vector<size_t> order(records.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  size_t bytes = 0;
  start = Clock::now();
  for (size_t i : order) {
    auto got = s.Get(Table::kRecords, records[i].rows.back().key);
    if (!got.ok()) std::exit(1);
    bytes += got->size();
  }
  t.read_s = Seconds(start);
  if (bytes == 0) std::exit(1);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sotay-bench-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);

  std::vector<std::vector<Edit>> edits;
  std::vector<RecordRows> records = MakeRows(n, edits);
  size_t rows = 0;
  for (const RecordRows& r : records) rows += r.rows.size();

  // Alternate the two, three rounds on fresh files, and keep the medians: fsync
  // times on a shared disk vary more than the difference being measured.
  std::vector<Timing> plains, sealeds;
  for (int round = 0; round < 3; ++round) {
    const std::string tag = std::to_string(round);
    plains.push_back(Plain((dir / ("plain" + tag + ".db")).string(), records));
    sealeds.push_back(Sealed((dir / ("sealed" + tag + ".db")).string(), records));
  }
  auto median = [](std::vector<Timing> v, double Timing::*field) {
    std::sort(v.begin(), v.end(), [&](const Timing& a, const Timing& b) { return a.*field < b.*field; });
    return v[1].*field;
  };
  Timing plain{median(plains, &Timing::write_s), median(plains, &Timing::read_s)};
  Timing sealed{median(sealeds, &Timing::write_s), median(sealeds, &Timing::read_s)};
  const double write_ratio = sealed.write_s / plain.write_s;
  const double read_ratio = sealed.read_s / plain.read_s;
  std::printf("%d records, %zu rows (edits, outbox entries, record states), one transaction per record, median of 3\n", n, rows);
  std::printf("  plain SQLite      writes %8.0f records/s   reads %8.0f records/s\n", n / plain.write_s, n / plain.read_s);
  std::printf("  encrypted store   writes %8.0f records/s   reads %8.0f records/s\n", n / sealed.write_s, n / sealed.read_s);
  std::printf("  encrypted / plain time: writes %.2fx, reads %.2fx (target: writes <= 1.5x)\n", write_ratio, read_ratio);

  // Whole records through the Notebook: validation, merge, codec, sealing.
  const int nb_records = std::max(10, n / 4);
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create((dir / "notebook.db").string(), "bench passphrase", o);
  if (!nb.ok()) {
    std::fprintf(stderr, "%s\n", nb.status().ToString().c_str());
    return 1;
  }
  if (Status s = (*nb)->SetProfile("01234", "worker-1"); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  auto form_text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
  auto installed = form_text.ok() ? (*nb)->InstallForm(*form_text, "child_profile.json") : form_text.status();
  if (!installed.ok()) {
    std::fprintf(stderr, "%s\n", installed.status().ToString().c_str());
    return 1;
  }
  auto start = Clock::now();
  for (int i = 0; i < nb_records; ++i) {
    auto r = (*nb)->CreateRecord("child_profile", ChildAnswers(i), "", "vi");
    if (!r.ok() || !r->ok()) {
      std::fprintf(stderr, "notebook: record %d not saved\n", i);
      return 1;
    }
  }
  const double nb_s = Seconds(start);
  std::printf("  notebook          %8.0f new records/s (validated, merged, sealed, outboxed)\n", nb_records / nb_s);

  // The merge alone.
  size_t applications = 0;
  start = Clock::now();
  for (int round = 0; round < 5; ++round) {
    for (const std::vector<Edit>& record : edits) {
      RecordState state;
      for (const Edit& e : record) state.Apply(e);
      for (const Edit& e : record) state.Apply(e);  // duplicates, as a resend brings
      applications += 2 * record.size();
    }
  }
  const double merge_s = Seconds(start);
  std::printf("  merge             %8.0f edit applications/s\n", static_cast<double>(applications) / merge_s);

  // Unlock with the default Argon2id limits (median of three).
  const KdfLimits limits = KdfLimits::Default();
  const std::string unlock_path = (dir / "unlock.db").string();
  { auto s = SealedStore::Create(unlock_path, "bench passphrase", limits); if (!s.ok()) return 1; }
  std::vector<double> unlocks;
  for (int i = 0; i < 3; ++i) {
    start = Clock::now();
    auto s = SealedStore::Open(unlock_path, "bench passphrase");
    unlocks.push_back(Seconds(start));
    if (!s.ok()) return 1;
  }
  std::sort(unlocks.begin(), unlocks.end());
  std::printf("  unlock            %.3f s  (Argon2id, opslimit %llu, memlimit %zu MiB; target 0.2-1 s)\n",
              unlocks[1], static_cast<unsigned long long>(limits.opslimit), limits.memlimit >> 20);

  fs::remove_all(dir);
  nlohmann::json j = {
      {"records", n},
      {"rows", rows},
      {"plain_writes_per_s", n / plain.write_s},
      {"encrypted_writes_per_s", n / sealed.write_s},
      {"write_ratio", write_ratio},
      {"plain_reads_per_s", n / plain.read_s},
      {"encrypted_reads_per_s", n / sealed.read_s},
      {"read_ratio", read_ratio},
      {"notebook_records_per_s", nb_records / nb_s},
      {"merge_applications_per_s", static_cast<double>(applications) / merge_s},
      {"unlock_s", unlocks[1]},
      {"kdf_opslimit", limits.opslimit},
      {"kdf_memlimit_mib", limits.memlimit >> 20},
  };
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
