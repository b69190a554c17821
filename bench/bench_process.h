// What the benches that drive real processes share (POSIX): shell quoting, running a
// command, starting `sotay-server serve` on a free port, and reading a process's CPU
// time and peak memory from /proc.
//
// Thread-safety: the functions hold no state; Serve forks, so call it before the
// bench starts threads of its own.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "child_process.h"  // tests/support

namespace sotay::bench {

// `s` as one word for sh.
inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs a command to its end: its stdout, and whether it exited 0.
inline std::pair<std::string, bool> RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {out, false};
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  return {out, pclose(p) == 0};
}

// The same, or the bench (`who`) stops saying which command failed.
inline std::string MustRun(const char* who, const std::string& cmd) {
  auto [out, ok] = RunCommand(cmd);
  if (!ok) {
    std::fprintf(stderr, "%s: failed: %s\n", who, cmd.c_str());
    std::exit(1);
  }
  return out;
}

struct Served {
  pid_t pid = 0;
  std::string url;  // http://127.0.0.1:PORT
  int port = 0;
};

// `sotay-server serve` on `db` (a SQLite file; on PostgreSQL with `files` given), on
// a free port, its log to `log` (made afresh; "" for none). nullopt when it did not
// start.
inline std::optional<Served> Serve(const std::string& bin, const std::string& db, const std::string& files,
                                   const std::string& log) {
  std::vector<std::string> argv = {bin, "serve", "--db", db, "--port", "0"};
  if (!files.empty()) argv.insert(argv.end(), {"--files", files});
  if (!log.empty()) std::remove(log.c_str());  // a fresh log for each server
  const sotay::testing::StartedProcess started = sotay::testing::StartWithFirstLine(argv, log);
  if (started.pid < 0) return std::nullopt;
  const std::string& line = started.first_line;
  const size_t http = line.find("http");
  if (http == std::string::npos) return std::nullopt;
  Served s;
  s.pid = started.pid;
  s.url = line.substr(http);
  s.port = std::atoi(line.substr(line.rfind(':') + 1).c_str());
  return s;
}

// CPU seconds process `pid` has used (user + system).
inline double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(all.substr(all.rfind(')') + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(f);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Process `pid`'s peak resident memory in KiB (VmHWM), -1 when unknown.
inline long PeakKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace sotay::bench
