// link-proxy: a bad mobile link in front of a server, for trying sync by hand
// (tests/support/link_proxy.h says what it does).
//
//   link-proxy TARGET_PORT [--kbit 64] [--latency-ms 300] [--seed 1]
//              [--cut-every-kb 0] [--stall-share 0] [--stall-s 20]
//
// Prints where it listens, then runs until interrupted, printing its counters when a
// connection's counts change, at most once a second.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "link_proxy.h"

namespace {
volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: link-proxy TARGET_PORT [--kbit N] [--latency-ms N] [--seed N] [--cut-every-kb N]"
                         " [--stall-share F] [--stall-s N]\n");
    return 2;
  }
  sotay::testing::LinkOptions o;
  o.target_port = std::atoi(argv[1]);
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--kbit") o.bits_per_second = std::atoll(v) * 1000;
    else if (flag == "--latency-ms") o.one_way_latency_ms = std::atoi(v);
    else if (flag == "--seed") o.seed = std::strtoull(v, nullptr, 10);
    else if (flag == "--cut-every-kb") o.mean_bytes_between_cuts = std::atoll(v) * 1000;
    else if (flag == "--stall-share") o.stall_share = std::atof(v);
    else if (flag == "--stall-s") o.stall_ms = std::atoi(v) * 1000;
    else {
      std::fprintf(stderr, "link-proxy: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto proxy = sotay::testing::LinkProxy::Start(o);
  if (!proxy.ok()) {
    std::fprintf(stderr, "%s\n", proxy.status().ToString().c_str());
    return 1;
  }
  std::printf("listening on %s\n", (*proxy)->url().c_str());
  std::fflush(stdout);
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  sotay::testing::LinkCounters last;
  while (g_stop == 0) {
    sleep(1);
    const auto c = (*proxy)->counters();
    if (c.bytes_up == last.bytes_up && c.bytes_down == last.bytes_down && c.resets == last.resets) continue;
    std::printf("up %llu B, down %llu B, %llu connections, %llu requests, %llu resets, %llu stalls\n",
                static_cast<unsigned long long>(c.bytes_up), static_cast<unsigned long long>(c.bytes_down),
                static_cast<unsigned long long>(c.connections), static_cast<unsigned long long>(c.requests),
                static_cast<unsigned long long>(c.resets), static_cast<unsigned long long>(c.stalls));
    std::fflush(stdout);
    last = c;
  }
  return 0;
}
