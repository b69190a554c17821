// LinkProxy: a userspace TCP proxy on 127.0.0.1 that behaves like a bad mobile link
// (this machine has no netem), for tests and benches of sync on 2G (issue 16).
//
// In each direction independently it delays bytes by a fixed one-way latency and
// caps the rate with a token bucket (64 kbit/s moves 8,000 bytes a second, plus at
// most one bucket at the start). On a seeded schedule it cuts connections: a reset
// (both sides closed with SO_LINGER 0, so both see RST) or a stall (the connection
// stays open and moves nothing for stall_ms). The schedule counts bytes, not time:
// cut k falls after the k-th seeded draw of bytes forwarded (up and down together),
// so the same seed makes the same decisions however loaded the machine is.
//
// Plain POSIX sockets, poll and one thread. Thread-safety: Start, Stop and the
// destructor from one thread; counters(), PauseCuts() and CutNow() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "sotay/status.h"

namespace sotay::testing {

struct LinkOptions {
  int target_port = 0;              // on 127.0.0.1
  int64_t bits_per_second = 0;      // each direction; 0: no cap
  int one_way_latency_ms = 0;       // each direction
  size_t bucket_bytes = 1500;       // the token bucket's depth: the most sent at once
  uint64_t seed = 1;
  int64_t mean_bytes_between_cuts = 0;  // 0: no cuts; else exponential gaps of this mean
  double stall_share = 0;           // of the cuts, the share that stall instead of reset
  int stall_ms = 20000;
};

// Everything counts bytes as they left the proxy: what crossed the "network".
struct LinkCounters {
  uint64_t bytes_up = 0;     // client to server
  uint64_t bytes_down = 0;   // server to client
  uint64_t connections = 0;  // accepted from clients
  uint64_t requests = 0;     // bursts from a client after silence or an answer: HTTP round trips
  uint64_t resets = 0;
  uint64_t stalls = 0;
};

class LinkProxy {
 public:
  // Listens on a free port of 127.0.0.1 and forwards to options.target_port.
  static Result<std::unique_ptr<LinkProxy>> Start(const LinkOptions& options);
  ~LinkProxy();  // stops: every connection is closed

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  LinkCounters counters() const;
  // While paused no cut falls (the schedule's byte count still runs): for steps a
  // test must not see cut, such as enrolling a device.
  void PauseCuts(bool paused) { cuts_paused_ = paused; }
  // Resets every open connection now, whatever the schedule (counted in resets): for
  // a test that must cut at a point it chose, such as in the middle of a file.
  void CutNow();

  LinkProxy(const LinkProxy&) = delete;
  LinkProxy& operator=(const LinkProxy&) = delete;

  struct Impl;  // link_proxy.cc; public so that its helpers there can name it

 private:
  explicit LinkProxy(std::unique_ptr<Impl> impl);
  void Loop();

  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> cuts_paused_{false};
  std::thread thread_;
};

}  // namespace sotay::testing
