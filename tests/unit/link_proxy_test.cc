// The link proxy (tests/support/link_proxy.h) that the 2G bench and the cut-link sync
// test stand on: it must cap the rate it says, delay by its latency, and reset or
// stall where its seed says. Times are only ever bounds the proxy cannot beat (bytes
// that may have arrived by a time, the earliest a byte can arrive), so a slow
// machine makes these tests slower, never wrong.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "link_proxy.h"

using sotay::testing::LinkOptions;
using sotay::testing::LinkProxy;
using Clock = std::chrono::steady_clock;

namespace {

// A server that takes one connection and reads it to its end, noting when bytes came.
class Sink {
 public:
  Sink() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(fd_, 4) == 0);
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      for (;;) {
        const ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        std::lock_guard<std::mutex> lock(mu_);
        total_ += static_cast<size_t>(n);
        arrivals_.emplace_back(Clock::now(), total_);
      }
      close(c);
      done_ = true;
    });
  }
  ~Sink() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  bool done() const { return done_; }
  size_t total() {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }
  // Bytes that had arrived by `t`.
  size_t By(Clock::time_point t) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const auto& [when, so_far] : arrivals_) {
      if (when <= t) n = so_far;
    }
    return n;
  }
  Clock::time_point First() {
    std::lock_guard<std::mutex> lock(mu_);
    return arrivals_.front().first;
  }
  Clock::time_point Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return arrivals_.back().first;
  }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> done_{false};
  std::mutex mu_;
  size_t total_ = 0;
  std::vector<std::pair<Clock::time_point, size_t>> arrivals_;
  std::thread thread_;
};

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

// Sends all of `bytes` unless the connection breaks; returns what send() took.
size_t SendAll(int fd, size_t bytes) {
  const std::string data(bytes, 'x');
  size_t sent = 0;
  while (sent < bytes) {
    const ssize_t n = send(fd, data.data() + sent, bytes - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  return sent;
}

template <typename F>
bool WaitFor(F done) {  // a generous deadline: only a broken proxy reaches it
  for (int i = 0; i < 600; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The bytes a proxy of `o` passes on before its first cut, a reset.
size_t BytesBeforeReset(LinkOptions o) {
  Sink sink;
  o.target_port = sink.port();
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  const int fd = Connect((*proxy)->port());
  SendAll(fd, 200000);
  char b;
  CHECK(recv(fd, &b, 1, 0) <= 0);  // the client sees its connection end
  close(fd);
  REQUIRE(WaitFor([&] { return sink.done(); }));
  CHECK((*proxy)->counters().resets == 1);
  // A reset may throw away what the sink had not read yet, as on a real link.
  CHECK(sink.total() <= (*proxy)->counters().bytes_up);
  return (*proxy)->counters().bytes_up;
}

}  // namespace

TEST_CASE("link proxy: 64 kbit/s moves at most 8,000 bytes a second plus one bucket, after the latency",
          "[link-proxy]") {
  Sink sink;
  LinkOptions o;
  o.target_port = sink.port();
  o.bits_per_second = 64000;
  o.one_way_latency_ms = 150;
  o.bucket_bytes = 1500;
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  const auto start = Clock::now();
  const int fd = Connect((*proxy)->port());
  const size_t n = 20000;
  REQUIRE(SendAll(fd, n) == n);
  shutdown(fd, SHUT_WR);
  REQUIRE(WaitFor([&] { return sink.done(); }));
  close(fd);
  CHECK(sink.total() == n);
  CHECK((*proxy)->counters().bytes_up == n);
  CHECK((*proxy)->counters().requests == 1);
  CHECK(sink.First() - start >= std::chrono::milliseconds(150));
  // Every byte left the proxy after `start`, at most a bucket and then the rate.
  CHECK(sink.By(start + std::chrono::seconds(1)) <= 8000 + 1500);
  const double seconds = std::chrono::duration<double>(sink.Last() - start).count();
  CHECK(seconds >= static_cast<double>(n - 1500) / 8000.0);
}

TEST_CASE("link proxy: a reset closes both sides where the seed says, the same bytes every time",
          "[link-proxy]") {
  LinkOptions o;
  o.mean_bytes_between_cuts = 20000;
  o.seed = 7;
  const size_t first = BytesBeforeReset(o);
  CHECK(first > 0);
  CHECK(first < 200000);
  CHECK(BytesBeforeReset(o) == first);
  o.seed = 8;
  CHECK(BytesBeforeReset(o) != first);
}

TEST_CASE("link proxy: a stall keeps the connection open and moves nothing", "[link-proxy]") {
  Sink sink;
  LinkOptions o;
  o.target_port = sink.port();
  o.mean_bytes_between_cuts = 5000;
  o.stall_share = 1;
  o.stall_ms = 600000;  // longer than any test: nothing may move before the proxy stops
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  const int fd = Connect((*proxy)->port());
  REQUIRE(SendAll(fd, 20000) == 20000);  // the socket buffers take it all
  REQUIRE(WaitFor([&] { return (*proxy)->counters().stalls == 1; }));
  // What left before the stall may still be on its way to the sink: let it land.
  const size_t stalled_at = (*proxy)->counters().bytes_up;
  REQUIRE(WaitFor([&] { return sink.total() == stalled_at; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(sink.total() == stalled_at);
  CHECK(stalled_at < 20000);
  CHECK((*proxy)->counters().bytes_up == stalled_at);  // the proxy sent nothing more either
  CHECK((*proxy)->counters().resets == 0);
  pollfd p{fd, POLLIN, 0};
  CHECK(poll(&p, 1, 0) == 0);  // open: no end and no reset seen by the client
  CHECK_FALSE(sink.done());
  close(fd);
}
