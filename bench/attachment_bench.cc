// attachment_bench: a 300 KB photo sent over an emulated 2G link (issue 20), with the
// real sotay-server and the real `sotay sync`, through tests/support/link_proxy.h.
//
//   attachment_bench SOTAY_SERVER_BIN SOTAY_BIN [--kbit 64] [--latency-ms 300] [--kb 300]
//
// Two runs on fresh servers: a whole link, then one that resets once, part way
// through the photo (`sotay sync` run again after it, as a worker would). Each run:
// a record with the photo made offline, then `sotay sync` (the record's edits, then
// the photo). Prints the time of the sync against the photo's floor (its bytes at
// the link's rate) and, for the cut run, the bytes sent beyond the whole run's: what
// the cut cost (target: at most one 64 KiB chunk).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "bench_process.h"
#include "link_proxy.h"

using sotay::testing::LinkOptions;
using sotay::testing::LinkProxy;
namespace fs = std::filesystem;

namespace {

using sotay::bench::Quote;
using sotay::bench::RunCommand;
using sotay::bench::Serve;

std::string MustRun(const std::string& cmd) { return sotay::bench::MustRun("attachment_bench", cmd); }

constexpr const char* kPassphrase = "mật khẩu bench";

struct Result {
  double seconds = 0;
  uint64_t bytes_up = 0;
  uint64_t resets = 0;
  int attempts = 0;
};

Result RunOne(const std::string& server_bin, const std::string& sotay_bin, int64_t bps, int latency_ms, size_t kb,
              int64_t cut_after, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "server.db").string();
  std::ofstream(dir / "areas.csv") << "code,name,parent_code,level\n01,Tỉnh,,province\n001,Huyện,01,district\n"
                                      "01234,Xã Bản Phố,001,commune\n";
  auto admin = [&](const std::string& args) { return MustRun(Quote(server_bin) + " admin " + args + " --db " + Quote(db) + " 2>/dev/null"); };
  admin("init --areas " + Quote((dir / "areas.csv").string()) + " --forms '" SOTAY_SCHEMAS_DIR "'");
  admin("add-user --id w-a --role worker --area 01234");
  auto served = Serve(server_bin, db, "", (dir / "server.log").string());
  if (!served) std::exit(1);
  const pid_t server = served->pid;
  LinkOptions o;
  o.target_port = served->port;
  o.bits_per_second = bps;
  o.one_way_latency_ms = latency_ms;
  o.seed = 7;
  o.mean_bytes_between_cuts = cut_after;
  auto proxy = LinkProxy::Start(o);
  if (!proxy.ok()) std::exit(1);
  (*proxy)->PauseCuts(true);
  const std::string store = (dir / "device.db").string();
  const std::string sh = "SOTAY_PASSPHRASE=" + Quote(kPassphrase) + " " + Quote(sotay_bin) + " --lang en --store " + Quote(store);
  MustRun(sh + " init >/dev/null");
  std::string code = admin("enroll-code --user w-a");
  MustRun(sh + " enroll " + (*proxy)->url() + " " + code.substr(0, code.find_first_of(" \n")) + " >/dev/null");
  const std::string answers = (dir / "injury.json").string();
  std::ofstream(answers) << R"({"child_name": "Hờ A Chứ", "child_sex": "male", "child_dob": "2018-05-01",
    "village": "Bản Sả Séng", "incident_date": "2025-06-01", "injury_type": "fall", "incident_place": "home",
    "hospitalised": "no", "outcome": "recovered"})";
  const std::string id = MustRun(sh + " new injury_incident --answers " + Quote(answers)).substr(0, 36);
  std::string photo(kb * 1024, '\0');
  std::mt19937 rng(20);
  for (char& ch : photo) ch = static_cast<char>(rng());
  photo.replace(0, 4, "\xFF\xD8\xFF\xE0");
  const std::string photo_path = (dir / "photo.jpg").string();
  std::ofstream(photo_path, std::ios::binary) << photo;
  MustRun(sh + " attach " + id + " injury_photo " + Quote(photo_path) + " >/dev/null");
  (*proxy)->PauseCuts(false);
  const auto before = (*proxy)->counters();
  Result r;
  const auto t0 = std::chrono::steady_clock::now();
  for (r.attempts = 1; r.attempts <= 20; ++r.attempts) {
    if (RunCommand(sh + " sync >/dev/null 2>&1").second) break;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto after = (*proxy)->counters();
  r.bytes_up = after.bytes_up - before.bytes_up;
  r.resets = after.resets - before.resets;
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: attachment_bench SOTAY_SERVER_BIN SOTAY_BIN [--kbit 64] [--latency-ms 300] [--kb 300]\n");
    return 2;
  }
  int64_t kbit = 64;
  int latency = 300;
  size_t kb = 300;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--kbit") kbit = std::stoll(argv[i + 1]);
    else if (flag == "--latency-ms") latency = std::stoi(argv[i + 1]);
    else if (flag == "--kb") kb = std::stoul(argv[i + 1]);
  }
  const fs::path dir = fs::temp_directory_path() / ("attachment_bench." + std::to_string(getpid()));
  const double floor_s = static_cast<double>(kb * 1024 * 8) / static_cast<double>(kbit * 1000);
  const Result whole = RunOne(argv[1], argv[2], kbit * 1000, latency, kb, 0, dir / "whole");
  // One reset, seeded, about half way through the photo's bytes.
  const Result cut = RunOne(argv[1], argv[2], kbit * 1000, latency, kb, static_cast<int64_t>(kb * 1024 / 2), dir / "cut");
  fs::remove_all(dir);
  std::printf("photo %zu KB at %lld kbit/s, %d ms each way: floor %.1f s\n", kb, static_cast<long long>(kbit), latency, floor_s);
  std::printf("whole link: %.1f s (%.2f x the floor), %llu B up, %d attempt(s)\n", whole.seconds, whole.seconds / floor_s,
              static_cast<unsigned long long>(whole.bytes_up), whole.attempts);
  std::printf("cut link:   %.1f s, %llu B up, %llu reset(s), %d attempts; resent beyond the whole run: %lld B\n", cut.seconds,
              static_cast<unsigned long long>(cut.bytes_up), static_cast<unsigned long long>(cut.resets), cut.attempts,
              static_cast<long long>(cut.bytes_up) - static_cast<long long>(whole.bytes_up));
  return 0;
}
