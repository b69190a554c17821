// link_bench: a commune's children pushed and pulled over an emulated 2G link
// (issue 16), with the real sotay-server and the real `sotay sync --watch`.
//
//   link_bench SOTAY_SERVER_BIN SOTAY_BIN [--children 2000] [--seeds 3] [--first-seed 1]
//              [--links 64k,64k-cuts,16k-cuts] [--give-up-s 1800]
//
// For each link and seed: a fresh server, a worker's device with the children made
// offline (tests/support/realistic_child.h: about 20 answers and a few sentences of
// notes), `sotay sync --watch` until its first whole sync (the push), then a fresh
// device of the same commune the same way (the pull), both through the link proxy
// (tests/support/link_proxy.h). Wire bytes, round trips (bursts of requests) and cuts
// are the proxy's counts; "failed" counts the sync attempts the device reported
// failed. Checks that the server holds every child once with all its edits and that
// the fresh device shows each child's answers. One line per phase, then one JSON
// line. The cut schedule counts bytes (seeded), so a seed cuts at the same bytes
// whatever the link's rate or the machine's load.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "bench_process.h"
#include "link_proxy.h"
#include "realistic_child.h"
#include "sotay/notebook.h"
#include "sotay/codec.h"

using namespace sotay;
using sotay::testing::LinkCounters;
using sotay::testing::LinkOptions;
using sotay::testing::LinkProxy;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

using sotay::bench::Quote;
using sotay::bench::Serve;

// Runs a command to its end; returns its stdout, or exits the bench if it failed.
std::string Run(const std::string& cmd) { return sotay::bench::MustRun("link_bench", cmd); }

constexpr const char* kPassphrase = "mật khẩu bench";

struct Link {
  std::string name;
  int64_t bits_per_second;
  int latency_ms;
  bool cuts;
};

const std::vector<Link>& Links() {
  static const std::vector<Link> links = {
      {"64k", 64000, 300, false}, {"64k-cuts", 64000, 300, true}, {"16k-cuts", 16000, 300, true}};
  return links;
}

struct Phase {
  double seconds = 0;
  bool finished = false;
  int failed = 0;  // attempts the device reported failed ("sync failed")
  LinkCounters link;
};

LinkCounters Minus(const LinkCounters& a, const LinkCounters& b) {
  return {a.bytes_up - b.bytes_up, a.bytes_down - b.bytes_down, a.connections - b.connections,
          a.requests - b.requests, a.resets - b.resets,       a.stalls - b.stalls};
}

bool show_output = false;  // --show: print what `sotay` said in every run

// `sotay sync --watch` on `store` until its first whole sync, or `give_up_s`.
Phase Watch(const std::string& sotay_bin, const std::string& store, LinkProxy& proxy, int give_up_s) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) std::exit(1);
  const LinkCounters before = proxy.counters();
  const auto t0 = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    setenv("SOTAY_PASSPHRASE", kPassphrase, 1);
    // Line-buffered: the summary of the first whole sync is the sign that it is done,
    // and a pipe would keep it in the buffer of a process that never exits.
    execlp("stdbuf", "stdbuf", "-oL", sotay_bin.c_str(), "--lang", "en", "--store", store.c_str(), "sync", "--watch",
           static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  Phase p;
  std::string text[2];
  const auto deadline = t0 + std::chrono::seconds(give_up_s);
  while (!p.finished && Clock::now() < deadline) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    if (poll(fds, 2, 500) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buf[1024];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) text[i].append(buf, static_cast<size_t>(n));
    }
    if (text[0].find("Sent ") != std::string::npos && text[0].find('\n') != std::string::npos) p.finished = true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) break;  // watch gave up (refused): not finished
  }
  p.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  p.link = Minus(proxy.counters(), before);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  close(out[0]);
  close(err[0]);
  for (size_t at = text[1].find("sync failed"); at != std::string::npos; at = text[1].find("sync failed", at + 1)) {
    ++p.failed;
  }
  // What the worker saw, when the run did not finish or when asked (--show).
  if (!p.finished || show_output) std::fprintf(stderr, "  sotay said: %s%s\n", text[0].c_str(), text[1].substr(0, 4000).c_str());
  return p;
}

// What the server holds: children, edits (kept in change sets, decoded here) and the
// distinct dots among them (fewer than the edits: one was stored twice).
struct ServerHolds {
  int64_t children = -1;
  int64_t edits = 0;
  int64_t distinct = 0;
};

ServerHolds ReadServer(const std::string& db) {
  ServerHolds h;
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return h;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(conn, "SELECT count(*) FROM records WHERE form = 'child_profile'", -1, &st, nullptr) ==
          SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    h.children = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  std::set<std::pair<std::string, uint64_t>> dots;
  if (sqlite3_prepare_v2(conn, "SELECT edits FROM edit_sets", -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(st, 0));
      auto group = DecodeEditGroup(std::string_view(blob, static_cast<size_t>(sqlite3_column_bytes(st, 0))));
      if (!group.ok()) {
        h.edits = -1;
        break;
      }
      for (const Edit& e : *group) dots.emplace(e.dot.device, e.dot.counter);
      h.edits += static_cast<int64_t>(group->size());
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(conn);
  h.distinct = static_cast<int64_t>(dots.size());
  return h;
}

struct Outcome {
  Phase push, pull;
  bool intact = false;  // nothing lost or doubled
  std::string problem;
};

// One link and seed, on a fresh server in `dir`.
Outcome RunOne(const std::string& server_bin, const std::string& sotay_bin, const Link& link, uint64_t seed,
               int children, int give_up_s, const fs::path& dir) {
  fs::create_directories(dir);
  const std::string db = (dir / "server.db").string();
  std::ofstream(dir / "areas.csv") << "code,name,parent_code,level\n01,Tỉnh,,province\n001,Huyện,01,district\n"
                                      "01234,Xã Bản Phố,001,commune\n";
  auto admin = [&](const std::string& args) {
    return Run(Quote(server_bin) + " admin " + args + " --db " + Quote(db) + " 2>/dev/null");
  };
  admin("init --areas " + Quote((dir / "areas.csv").string()) + " --forms '" SOTAY_SCHEMAS_DIR "'");
  admin("add-user --id w-a --role worker --area 01234");
  admin("add-user --id w-b --role worker --area 01234");

  auto served = Serve(server_bin, db, "", (dir / "server.log").string());
  if (!served) std::exit(1);
  const pid_t server = served->pid;
  LinkOptions o;
  o.target_port = served->port;
  o.bits_per_second = link.bits_per_second;
  o.one_way_latency_ms = link.latency_ms;
  o.seed = seed;
  if (link.cuts) {
    o.mean_bytes_between_cuts = 100000;  // about 12 s of a 64 kbit/s link
    o.stall_share = 0.25;
    o.stall_ms = 30000;
  }
  auto proxy = LinkProxy::Start(o);
  if (!proxy.ok()) {
    std::fprintf(stderr, "link_bench: %s\n", proxy.status().ToString().c_str());
    std::exit(1);
  }

  // The two devices, enrolled through the link while it does not cut.
  (*proxy)->PauseCuts(true);
  const std::string env = "SOTAY_PASSPHRASE=" + Quote(kPassphrase) + " ";
  std::vector<std::string> stores;
  for (const char* user : {"w-a", "w-b"}) {
    const std::string store = (dir / (std::string(user) + ".db")).string();
    Run(env + Quote(sotay_bin) + " --store " + Quote(store) + " init >/dev/null");
    std::string code = admin(std::string("enroll-code --user ") + user);
    code = code.substr(0, code.find_first_of(" \n"));
    Run(env + Quote(sotay_bin) + " --store " + Quote(store) + " enroll " + (*proxy)->url() + " " + code + " >/dev/null");
    stores.push_back(store);
  }
  (*proxy)->PauseCuts(false);

  Outcome r;
  std::map<std::string, int> child_of;
  int64_t edits = 0;
  {
    auto nb = Notebook::Open(stores[0], kPassphrase);
    std::vector<Answers> rows;
    for (int i = 0; i < children; ++i) rows.push_back(sotay::testing::RealisticChild(i));
    auto made = nb.ok() ? (*nb)->CreateRecords("child_profile", rows, "vi") : Result<std::vector<SaveOutcome>>(nb.status());
    if (!made.ok()) {
      std::fprintf(stderr, "link_bench: the children were not made: %s\n", made.status().ToString().c_str());
      std::exit(1);
    }
    for (size_t i = 0; i < made->size(); ++i) {
      if (!(*made)[i].ok()) {
        // The field names the answer that does not fit; its value is the bench's own.
        std::fprintf(stderr, "link_bench: child %zu was refused by the form: %s: %s\n", i,
                     (*made)[i].issues[0].field.c_str(), (*made)[i].issues[0].message.c_str());
        std::exit(1);
      }
      child_of[(*made)[i].id] = static_cast<int>(i);
    }
    auto outbox = (*nb)->OutboxCount();
    edits = outbox.ok() ? *outbox : -1;
  }

  r.push = Watch(sotay_bin, stores[0], **proxy, give_up_s);
  if (r.push.finished) r.pull = Watch(sotay_bin, stores[1], **proxy, give_up_s);
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);

  // Nothing lost or doubled: every child once on the server with all its edits, and
  // on the fresh device with its answers.
  std::ostringstream problem;
  const ServerHolds held = ReadServer(db);
  if (held.children != children) problem << "server has " << held.children << " children of " << children << "; ";
  if (held.edits != edits || held.distinct != edits) {
    problem << "server has " << held.edits << " edits (" << held.distinct << " distinct) of " << edits << "; ";
  }
  if (r.pull.finished) {
    auto nb = Notebook::Open(stores[1], kPassphrase);
    auto list = nb.ok() ? (*nb)->List({"child_profile", "", false}, "vi") : Result<std::vector<RecordSummary>>(nb.status());
    if (!list.ok() || list->size() != static_cast<size_t>(children)) {
      problem << "fresh device has " << (list.ok() ? list->size() : 0) << " children; ";
    }
    int wrong = 0;
    for (const auto& [id, i] : child_of) {
      auto got = nb.ok() ? (*nb)->Get(id) : Result<RecordView>(nb.status());
      if (!got.ok()) {
        ++wrong;
        continue;
      }
      for (const auto& [field, value] : sotay::testing::RealisticChild(i)) {
        if (got->shown[field] != value) {
          ++wrong;
          break;
        }
      }
    }
    if (wrong > 0) problem << wrong << " children differ on the fresh device; ";
  }
  r.problem = problem.str();
  r.intact = r.problem.empty() && r.pull.finished;
  return r;
}

void PrintPhase(const char* what, const Link& link, uint64_t seed, const Phase& p, int children, bool up) {
  const uint64_t bytes = up ? p.link.bytes_up : p.link.bytes_down;
  std::printf("%-9s seed %-3llu %s %7.1f s%s  up %8llu B  down %8llu B  %3llu round trips  %llu resets %llu stalls"
              "  %d failed  %.0f B/child %s\n",
              link.name.c_str(), static_cast<unsigned long long>(seed), what, p.seconds,
              p.finished ? "" : " (gave up)", static_cast<unsigned long long>(p.link.bytes_up),
              static_cast<unsigned long long>(p.link.bytes_down), static_cast<unsigned long long>(p.link.requests),
              static_cast<unsigned long long>(p.link.resets), static_cast<unsigned long long>(p.link.stalls),
              p.failed, static_cast<double>(bytes) / children, up ? "up" : "down");
  std::fflush(stdout);
}

nlohmann::json PhaseJson(const Phase& p) {
  return {{"seconds", p.seconds},       {"finished", p.finished},     {"bytes_up", p.link.bytes_up},
          {"bytes_down", p.link.bytes_down}, {"round_trips", p.link.requests}, {"connections", p.link.connections},
          {"resets", p.link.resets},    {"stalls", p.link.stalls},    {"failed_attempts", p.failed}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: link_bench SOTAY_SERVER_BIN SOTAY_BIN [--children N] [--seeds N] [--first-seed N]"
                         " [--links 64k,64k-cuts,16k-cuts] [--give-up-s N] [--show yes]\n");
    return 2;
  }
  const std::string server_bin = argv[1], sotay_bin = argv[2];
  int children = 2000, seeds = 3, give_up_s = 1800;
  uint64_t first_seed = 1;
  std::string wanted = "64k,64k-cuts,16k-cuts";
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], v = argv[i + 1];
    if (flag == "--children") children = std::max(1, std::stoi(v));
    else if (flag == "--seeds") seeds = std::max(1, std::stoi(v));
    else if (flag == "--first-seed") first_seed = std::stoull(v);
    else if (flag == "--links") wanted = "," + v + ",";
    else if (flag == "--give-up-s") give_up_s = std::max(10, std::stoi(v));
    else if (flag == "--show") show_output = v == "yes";
    else {
      std::fprintf(stderr, "link_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (wanted.front() != ',') wanted = "," + wanted + ",";
  signal(SIGPIPE, SIG_IGN);
  std::printf("%d realistic children pushed by `sotay sync --watch`, pulled by a fresh device; 300 ms each way;"
              " cuts: a seeded reset or 30 s stall every 100 KB on average (a quarter are stalls)\n", children);
  nlohmann::json runs = nlohmann::json::array();
  bool all_intact = true;
  for (const Link& link : Links()) {
    if (wanted.find("," + link.name + ",") == std::string::npos) continue;
    for (uint64_t seed = first_seed; seed < first_seed + static_cast<uint64_t>(seeds); ++seed) {
      const fs::path dir = fs::temp_directory_path() /
                           ("sotay-link-bench-" + std::to_string(getpid()) + "-" + link.name + "-" + std::to_string(seed));
      const Outcome r = RunOne(server_bin, sotay_bin, link, seed, children, give_up_s, dir);
      PrintPhase("push", link, seed, r.push, children, true);
      PrintPhase("pull", link, seed, r.pull, children, false);
      if (!r.intact) std::printf("  NOT INTACT: %s\n", r.problem.empty() ? "did not finish" : r.problem.c_str());
      all_intact = all_intact && r.intact;
      runs.push_back({{"link", link.name}, {"bits_per_second", link.bits_per_second},
                      {"one_way_latency_ms", link.latency_ms}, {"cuts", link.cuts}, {"seed", seed},
                      {"children", children}, {"push", PhaseJson(r.push)}, {"pull", PhaseJson(r.pull)},
                      {"intact", r.intact}, {"problem", r.problem}});
      fs::remove_all(dir);
    }
  }
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  std::printf("%s\n", nlohmann::json({{"load_average_1m", load[0]}, {"runs", runs}}).dump().c_str());
  return all_intact ? 0 : 1;
}
