// sync_bench: sync over loopback with the real sotay-server, all on this machine.
//
//   sync_bench SOTAY_SERVER_BIN [DEVICES=4] [RECORDS_PER_DEVICE=2500] [--one-commune]
//              [--db postgresql://...] [--servers N]
//
// Devices are real notebooks (encrypted stores) in this process, each syncing from
// its own thread through the core's SyncSession, with signed, gzip-compressed
// requests: the same path as `sotay sync`. Prints push and pull rates for new
// records of ~25 fields, the rate of 3-field edits, bytes on the wire, round trips,
// the ratio to inserting the same edits into plain SQLite, and the server's peak
// memory; the last line is one JSON object.
//
// The push is every device syncing at once. By default each device is the worker of
// its own commune, as a district server receives from its communes (a commune has
// one or two social workers). With --one-commune all devices share one commune, so
// each exchange also brings a device the others' new records: with D devices the
// push phase then stores D - 1 times as many pulled records on the devices as it
// pushes. `sync_bench SERVER 1 10000` measures one device pushing alone. The fresh
// device that pulls everything afterwards is a district officer's.
//
// --db runs the server on that PostgreSQL database instead of a SQLite file (it must
// hold no Sotay tables: the bench makes them); --servers N starts N server processes
// on the one database, device d syncing through process d mod N. CPU is the
// processes' sum, memory the largest peak.
//
// --replay (SQLite) also sends the push's requests again, as recorded, to a copy of
// the server's database taken before the push, one after another, with nothing else
// running: the server's own push rate, as a district server sees it when its devices
// are elsewhere. On this machine the devices share the two cores with the server
// during the push itself.
//
// Over 400 lines on purpose: one program, its phases sharing the server process,
// the devices and the figures it prints together.
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench_process.h"
#include "httplib_transport.h"  // client-shell/: the same HTTP as `sotay sync`
#include "sotay/notebook.h"
#include "sotay/read_file.h"
#include "sotay/sync_run.h"

using namespace sotay;
using sotay::bench::CpuSeconds;
using sotay::bench::PeakKiB;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A request as a device sent it.
struct Posted {
  HttpHeaders headers;
  std::string body;
};

// The device's transport, noting each request it posts.
class Recording : public SyncTransport {
 public:
  Recording(SyncTransport& inner, std::vector<Posted>& into) : inner_(inner), into_(into) {}
  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    into_.push_back(Posted{headers, body});
    return inner_.PostSync(headers, body);
  }
  void SetStallTimeoutMs(int64_t ms) override { inner_.SetStallTimeoutMs(ms); }

 private:
  SyncTransport& inner_;
  std::vector<Posted>& into_;
};

struct Traffic {
  size_t up = 0, down = 0, exchanges = 0;
  double cpu_s = 0;  // the device thread's own CPU time
};

// CPU seconds the calling thread has used (user + system).
double ThreadCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One whole sync of `nb` through the core's RunSync, as `sotay sync` does it, its
// requests noted in `record` when given. Returns false on any failure.
bool SyncAll(Notebook& nb, const std::string& url, Traffic& t, std::vector<Posted>* record = nullptr) {
  const double cpu0 = ThreadCpuSeconds();
  auto client = std::make_unique<httplib::Client>(url);
  client->set_read_timeout(120);
  HttplibTransport transport(std::move(client));
  std::optional<Recording> recording;
  if (record != nullptr) recording.emplace(transport, *record);
  const SyncRun run = RunSync(nb, recording ? static_cast<SyncTransport&>(*recording) : transport);
  t.cpu_s += ThreadCpuSeconds() - cpu0;
  if (!run.status.ok()) {
    std::fprintf(stderr, "sync failed: %s\n", run.status.ToString().c_str());
    return false;
  }
  // + the headers, roughly: signature, time, nonce up; status line and type down.
  t.up += run.bytes_up + 300 * run.counts.exchanges;
  t.down += run.bytes_down + 150 * run.counts.exchanges;
  t.exchanges += run.counts.exchanges;
  return true;
}

Answers Child(int i) {
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Sùng"};
  return {{"full_name", std::string(family[i % 8]) + " Thị Mục " + std::to_string(i)},
          {"sex", i % 2 ? "male" : "female"}, {"dob", "2015-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10)},
          {"ethnicity", "tay"}, {"birth_registered", "yes"}, {"personal_id", std::string(i % 2 ? "0012" : "0013") + "150" + std::to_string(10000 + i % 89999)},
          {"village", "Bản " + std::to_string(i % 17)}, {"living_with", "relatives"},
          {"caregiver_name", "Hoàng Văn Hải " + std::to_string(i)}, {"caregiver_phone", "0912" + std::to_string(100000 + i % 899999)},
          {"household_poverty", "poor"}, {"in_school", "yes"}, {"school_level", "primary"},
          {"health_insurance", "yes"}, {"disability", "no"}, {"special_circumstances", "h"},
          {"notes", "Gia đình có ba con; bố đi làm ăn xa."}};
}

// Inserting the same edits into plain SQLite, in the same batches: the floor. Raw
// sqlite3 on purpose, not the SQLite layer: the floor must not include it.
double PlainRecordsPerSecond(const fs::path& dir, const std::vector<std::vector<Edit>>& batches, size_t records) {
  sqlite3* db = nullptr;
  sqlite3_open((dir / "plain.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                   "CREATE TABLE edits(seq INTEGER PRIMARY KEY, device TEXT, counter INTEGER, record TEXT, field TEXT,"
                   " value TEXT, hlc_ms INTEGER, hlc_c INTEGER, base BLOB, author TEXT, UNIQUE(device, counter));",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO edits(device, counter, record, field, value, hlc_ms, hlc_c, base, author)"
                         " VALUES (?,?,?,?,?,?,?,?,?)", -1, &st, nullptr);
  auto t0 = Clock::now();
  for (const auto& batch : batches) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const Edit& e : batch) {
      sqlite3_bind_text(st, 1, e.dot.device.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(e.dot.counter));
      sqlite3_bind_text(st, 3, e.record.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 4, e.field.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 5, e.value.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 6, e.hlc.ms);
      sqlite3_bind_int64(st, 7, e.hlc.counter);
      sqlite3_bind_blob(st, 8, "", 0, SQLITE_STATIC);
      sqlite3_bind_text(st, 9, e.author.c_str(), -1, SQLITE_STATIC);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double s = Since(t0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return static_cast<double>(records) / s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sync_bench SOTAY_SERVER_BIN [DEVICES] [RECORDS_PER_DEVICE] [--one-commune]"
                         " [--db postgresql://...] [--servers N] [--replay]\n");
    return 2;
  }
  const std::string server_bin = argv[1];
  std::vector<std::string> numbers;
  bool one_commune = false;
  std::string pg_db;
  int server_count = 1;
  bool replay = false;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--one-commune") {
      one_commune = true;
    } else if (std::string(argv[i]) == "--replay") {
      replay = true;
    } else if (std::string(argv[i]) == "--db" && i + 1 < argc) {
      pg_db = argv[++i];
    } else if (std::string(argv[i]) == "--servers" && i + 1 < argc) {
      server_count = std::max(1, std::atoi(argv[++i]));
    } else {
      numbers.push_back(argv[i]);
    }
  }
  if (replay && !pg_db.empty()) {
    std::fprintf(stderr, "--replay copies a SQLite file: not with --db\n");
    return 2;
  }
  const int devices = numbers.size() > 0 ? std::max(1, std::atoi(numbers[0].c_str())) : 4;
  const int per_device = numbers.size() > 1 ? std::max(10, std::atoi(numbers[1].c_str())) : 2500;
  // Device d works in commune_of(d); device `devices` is the district officer's.
  auto commune_of = [&](int d) {
    char code[16];
    std::snprintf(code, sizeof code, "%05d", 1234 + (one_commune ? 0 : d));
    return std::string(code);
  };
  const fs::path dir = fs::temp_directory_path() / ("sotay-sync-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string db = pg_db.empty() ? (dir / "server.db").string() : pg_db;
  {
    std::ofstream areas(dir / "areas.csv");
    areas << "code,name,parent_code,level\n01,Tỉnh,,province\n001,Huyện,01,district\n";
    for (int d = 0; d < (one_commune ? 1 : devices); ++d) {
      areas << commune_of(d) << ",Xã " << d + 1 << ",001,commune\n";
    }
  }
  auto admin = [&](const std::string& args) {
    return bench::MustRun("sync_bench", bench::Quote(server_bin) + " admin " + args + " --db " + bench::Quote(db) +
                                            " 2>/dev/null");
  };
  admin("init --areas '" + (dir / "areas.csv").string() + "' --forms '" SOTAY_SCHEMAS_DIR "'");
  for (int d = 0; d < devices; ++d) {
    admin("add-user --id w-" + std::to_string(d) + " --role worker --area " + commune_of(d));
  }
  admin("add-user --id w-" + std::to_string(devices) + " --role district --area 001");

  std::vector<pid_t> servers;
  std::vector<std::string> urls;
  for (int n = 0; n < server_count; ++n) {
    auto started = bench::Serve(server_bin, db, pg_db.empty() ? "" : (dir / "files").string(), "");
    if (!started) return 1;
    servers.push_back(started->pid);
    urls.push_back(started->url);
  }
  const std::string url = urls[0];
  auto url_of = [&](int d) { return urls[static_cast<size_t>(d) % urls.size()]; };
  auto servers_cpu = [&] {
    double sum = 0;
    for (pid_t p : servers) sum += CpuSeconds(p);
    return sum;
  };

  // The devices, their records made offline (not timed).
  const auto form = ReadWholeFile(SOTAY_SCHEMAS_DIR "/child_profile.json");
  if (!form.ok()) return 1;
  std::vector<std::unique_ptr<Notebook>> nbs;
  std::vector<std::vector<Edit>> plain_batches;
  for (int d = 0; d <= devices; ++d) {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    auto nb = Notebook::Create((dir / ("device" + std::to_string(d) + ".db")).string(), "bench", o);
    if (!nb.ok()) return 1;
    if (!(*nb)->InstallForm(*form, "child_profile.json").ok()) return 1;
    auto key = (*nb)->PublicKeyBase64();
    std::string code = admin("enroll-code --user w-" + std::to_string(d));
    code = code.substr(0, code.find_first_of(" \n"));
    httplib::Client client(url_of(d));
    nlohmann::json body = {{"code", code}, {"device_id", (*nb)->device_id()}, {"public_key", *key}};
    auto res = client.Post("/v1/enroll", body.dump(), "application/json");
    if (!res || res->status != 200) return 1;
    if (!(*nb)->SetEnrollment(sotay::Notebook::Enrollment{url_of(d), "w-" + std::to_string(d), d < devices ? commune_of(d) : "001", d < devices ? "worker" : "district", "", {}}).ok()) return 1;
    if (d < devices) {
      std::vector<Answers> rows;
      for (int i = 0; i < per_device; ++i) rows.push_back(Child(d * per_device + i));  // in the device's commune, its area
      auto made = (*nb)->CreateRecords("child_profile", rows, "vi");
      if (!made.ok()) return 1;
      auto slice = (*nb)->OutboxAfter("", 1u << 30);
      if (!slice.ok()) return 1;
      const std::vector<sotay::Edit>& outbox = slice->edits;
      for (size_t i = 0; i < outbox.size(); i += 1000) {
        plain_batches.emplace_back(outbox.begin() + static_cast<std::ptrdiff_t>(i),
                                   outbox.begin() + static_cast<std::ptrdiff_t>(std::min(outbox.size(), i + 1000)));
      }
    }
    nbs.push_back(std::move(nb).value());
  }
  const size_t records = static_cast<size_t>(devices) * static_cast<size_t>(per_device);

  // The database as the push finds it, for --replay.
  const std::string before_push = (dir / "before-push.db").string();
  if (replay) admin("backup --to '" + before_push + "'");
  std::vector<std::vector<Posted>> posted(static_cast<size_t>(devices));

  // Push: every device at once.
  std::vector<Traffic> traffic(static_cast<size_t>(devices));
  std::atomic<bool> ok{true};
  const double server_cpu0 = servers_cpu();
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int d = 0; d < devices; ++d) {
    threads.emplace_back([&, d] {
      const auto i = static_cast<size_t>(d);
      ok = SyncAll(*nbs[i], url_of(d), traffic[i], replay ? &posted[i] : nullptr) && ok;
    });
  }
  for (auto& t : threads) t.join();
  const double push_s = Since(t0);
  const double push_server_cpu = servers_cpu() - server_cpu0;
  if (!ok) return 1;
  size_t push_up = 0;
  double push_device_cpu = 0;
  for (const Traffic& t : traffic) {
    push_up += t.up;
    push_device_cpu += t.cpu_s;
  }

  // Pull: a fresh device takes everything.
  Traffic fresh;
  t0 = Clock::now();
  if (!SyncAll(*nbs.back(), url, fresh)) return 1;
  const double pull_s = Since(t0);

  // Edits: 3 fields of 500 records on every device, at once.
  const int edited = std::min(per_device, 500);
  for (int d = 0; d < devices; ++d) {
    auto list = nbs[static_cast<size_t>(d)]->List({}, "vi");
    if (!list.ok()) return 1;
    for (int i = 0; i < edited; ++i) {
      // An edit not saved would make the timed push below measure less than it says.
      auto saved = nbs[static_cast<size_t>(d)]->EditRecord((*list)[static_cast<size_t>(i)].id,
          {{"village", "Bản Mới " + std::to_string(i)}, {"health_insurance", "no"}, {"caregiver_phone", "0987654321"}}, "vi");
      if (!saved.ok() || !saved->ok()) return 1;
    }
  }
  std::vector<Traffic> edit_traffic(static_cast<size_t>(devices));
  t0 = Clock::now();
  threads.clear();
  for (int d = 0; d < devices; ++d) {
    threads.emplace_back([&, d] { ok = SyncAll(*nbs[static_cast<size_t>(d)], url_of(d), edit_traffic[static_cast<size_t>(d)]) && ok; });
  }
  for (auto& t : threads) t.join();
  const double edit_s = Since(t0);
  size_t edit_up = 0;
  for (const Traffic& t : edit_traffic) edit_up += t.up;
  long peak_kib = 0;
  for (pid_t p : servers) {
    peak_kib = std::max(peak_kib, PeakKiB(p));
    kill(p, SIGTERM);
    waitpid(p, nullptr, 0);
  }
  // The push again, the server alone: each device's requests in turn, as recorded.
  double replay_s = 0, replay_cpu = 0;
  if (replay) {
    auto started = bench::Serve(server_bin, before_push, "", "");
    if (!started) return 1;
    const pid_t again = started->pid;
    httplib::Client client(started->url);
    client.set_read_timeout(120);
    const double cpu0 = CpuSeconds(again);
    t0 = Clock::now();
    for (const auto& requests : posted) {
      for (const Posted& p : requests) {
        auto res = client.Post("/v1/sync", httplib::Headers(p.headers.begin(), p.headers.end()), p.body,
                               "application/cbor");
        if (!res || res->status != 200) {
          std::fprintf(stderr, "a replayed request was answered %d\n", res ? res->status : 0);
          return 1;
        }
      }
    }
    replay_s = Since(t0);
    replay_cpu = CpuSeconds(again) - cpu0;
    kill(again, SIGTERM);
    waitpid(again, nullptr, 0);
  }
  const double plain_rate = PlainRecordsPerSecond(dir, plain_batches, records);
  // SOTAY_BENCH_KEEP=1 leaves the server's database (10,000 records by default) for
  // measuring the dashboard on it (see sync-server/README.md, "The dashboard").
  const char* keep = std::getenv("SOTAY_BENCH_KEEP");
  if (keep != nullptr && std::string(keep) == "1") {
    std::fprintf(stderr, "kept %s\n", db.c_str());
  } else {
    fs::remove_all(dir);
  }

  const double push_rate = static_cast<double>(records) / push_s;
  const double pull_rate = static_cast<double>(records) / pull_s;
  const size_t edits = static_cast<size_t>(devices) * static_cast<size_t>(edited);
  const double edit_rate = static_cast<double>(edits) / edit_s;
  std::printf("%d devices x %d records (~25 fields), child_profile, %s, over loopback, server and devices on one"
              " machine; %d server process%s on %s\n", devices, per_device, one_commune ? "all in one commune" : "each in its own commune",
              server_count, server_count > 1 ? "es" : "", pg_db.empty() ? "a SQLite file" : "PostgreSQL");
  const std::string also = devices > 1 && one_commune ? "; each device also pulled the other " + std::to_string(devices - 1) +
                                              " devices' records" : "";
  std::printf("  push    %8.0f new records/s  (%.0f B up per record, gzip; CPU: server %.2f s, devices %.2f s,"
              " in %.2f s%s)\n",
              push_rate, static_cast<double>(push_up) / static_cast<double>(records), push_server_cpu,
              push_device_cpu, push_s, also.c_str());
  std::printf("  pull    %8.0f records/s by a fresh device, %zu round trips for %zu records\n", pull_rate,
              fresh.exchanges, records);
  std::printf("  edits   %8.0f 3-field edits/s  (%.0f B up per edit)\n", edit_rate,
              static_cast<double>(edit_up) / static_cast<double>(edits));
  std::printf("  plain SQLite inserting the same edits: %.0f records/s; push / plain = %.2f\n", plain_rate,
              push_rate / plain_rate);
  std::printf("  server peak memory %.1f MiB\n", static_cast<double>(peak_kib) / 1024.0);
  if (replay) {
    std::printf("  replay  %8.0f new records/s  (the push's requests again to a fresh copy, the server alone:"
                " CPU %.2f s in %.2f s)\n",
                static_cast<double>(records) / replay_s, replay_cpu, replay_s);
  }
  nlohmann::json j = {{"store", pg_db.empty() ? "sqlite" : "postgres"},
                      {"servers", server_count},
                      {"devices", devices},
                      {"one_commune", one_commune},
                      {"records", records},
                      {"push_records_per_s", push_rate},
                      {"pull_records_per_s", pull_rate},
                      {"edits_3field_per_s", edit_rate},
                      {"bytes_per_new_record", static_cast<double>(push_up) / static_cast<double>(records)},
                      {"bytes_per_3field_edit", static_cast<double>(edit_up) / static_cast<double>(edits)},
                      {"round_trips_initial_sync", fresh.exchanges},
                      {"round_trips_per_2000_records", static_cast<double>(fresh.exchanges) * 2000.0 / static_cast<double>(records)},
                      {"plain_sqlite_records_per_s", plain_rate},
                      {"push_to_plain_ratio", push_rate / plain_rate},
                      {"server_peak_mib", static_cast<double>(peak_kib) / 1024.0},
                      {"push_server_cpu_s", push_server_cpu},
                      {"push_devices_cpu_s", push_device_cpu},
                      {"push_wall_s", push_s}};
  if (replay) j["replay_push_records_per_s"] = static_cast<double>(records) / replay_s;
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
