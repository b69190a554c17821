// LinkProxy (link_proxy.h): one thread polls the listening socket and every
// connection's two sockets; bytes read are queued with the time they may leave
// (now + latency) and leave as the direction's token bucket allows.
#include "link_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <list>
#include <random>
#include <vector>

namespace sotay::testing {

namespace {

using Clock = std::chrono::steady_clock;

// A direction reads no more while this much waits in its queue: a link buffers
// little, and what a reset throws away should be what a real one would.
constexpr size_t kMaxQueued = 64 * 1024;

struct Chunk {
  Clock::time_point due;
  std::string bytes;
  size_t sent = 0;
};

struct Direction {
  bool up = false;
  std::deque<Chunk> queue;
  size_t queued = 0;
  bool eof = false;      // the source will send nothing more
  bool shut = false;     // and that was passed on (shutdown SHUT_WR)
  bool blocked = false;  // the last send would have blocked: wait for POLLOUT
  double tokens = 0;
  Clock::time_point refilled;
};

struct Conn {
  int client = -1, server = -1;
  Direction dir[2];  // [0] client to server, [1] server to client
  bool last_read_up = false;
  Clock::time_point stalled_until;
  bool dead = false;

  int From(const Direction& d) const { return d.up ? client : server; }
  int To(const Direction& d) const { return d.up ? server : client; }
};

void NonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Closes with SO_LINGER 0: the peer sees a reset, not an orderly end.
void Abort(int fd) {
  if (fd < 0) return;
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

int Millis(Clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::max<int64_t>(1, ms + 1));
}

}  // namespace

struct LinkProxy::Impl {
  LinkOptions options;
  int listen_fd = -1;
  int wake[2] = {-1, -1};  // a byte here stops the loop
  std::atomic<bool> stop{false};
  std::list<Conn> conns;
  std::mt19937_64 rng;
  uint64_t forwarded = 0;  // bytes up and down, what the cut schedule counts
  uint64_t next_cut = 0;   // 0: no cuts
  bool next_is_stall = false;
  std::atomic<uint64_t> bytes_up{0}, bytes_down{0}, connections{0}, requests{0}, resets{0}, stalls{0};

  double BytesPerSecond() const { return static_cast<double>(options.bits_per_second) / 8.0; }

  void DrawCut() {
    if (options.mean_bytes_between_cuts <= 0) return;
    std::exponential_distribution<double> gap(1.0 / static_cast<double>(options.mean_bytes_between_cuts));
    next_cut = forwarded + 1 + static_cast<uint64_t>(gap(rng));
    next_is_stall = std::uniform_real_distribution<double>(0, 1)(rng) < options.stall_share;
  }

  void Close(Conn& c, bool abort) {
    if (abort) {
      Abort(c.client);
      Abort(c.server);
    } else {
      close(c.client);
      close(c.server);
    }
    c.client = c.server = -1;
    c.dead = true;
  }

  void Accept() {
    const int fd = accept(listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    const int up = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(options.target_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Loopback connects at once; a refused one is passed on to the client as a reset.
    if (up < 0 || connect(up, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      if (up >= 0) close(up);
      Abort(fd);
      return;
    }
    ++connections;
    Conn c;
    c.client = fd;
    c.server = up;
    for (int fdx : {fd, up}) {
      NonBlocking(fdx);
      NoDelay(fdx);
    }
    const auto now = Clock::now();
    for (int i = 0; i < 2; ++i) {
      c.dir[i].up = i == 0;
      c.dir[i].tokens = static_cast<double>(options.bucket_bytes);
      c.dir[i].refilled = now;
    }
    conns.push_back(std::move(c));
  }

  void Read(Conn& c, Direction& d, Clock::time_point now) {
    char buf[16384];
    const size_t room = std::min(sizeof buf, kMaxQueued - d.queued);
    const ssize_t n = recv(c.From(d), buf, room, 0);
    if (n > 0) {
      if (d.up && !c.last_read_up) ++requests;
      c.last_read_up = d.up;
      d.queue.push_back(Chunk{now + std::chrono::milliseconds(options.one_way_latency_ms),
                              std::string(buf, static_cast<size_t>(n)), 0});
      d.queued += static_cast<size_t>(n);
    } else if (n == 0) {
      d.eof = true;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      Close(c, true);  // the peer reset: pass it on
    }
  }

  // Sends what is due and what the bucket allows; may cut the connection.
  void Write(Conn& c, Direction& d, Clock::time_point now) {
    if (options.bits_per_second > 0) {
      const double elapsed = std::chrono::duration<double>(now - d.refilled).count();
      d.tokens = std::min(static_cast<double>(options.bucket_bytes), d.tokens + elapsed * BytesPerSecond());
    }
    d.refilled = now;
    d.blocked = false;
    while (!c.dead && !d.queue.empty() && d.queue.front().due <= now && now >= c.stalled_until) {
      Chunk& front = d.queue.front();
      size_t k = front.bytes.size() - front.sent;
      if (options.bits_per_second > 0) k = std::min(k, static_cast<size_t>(d.tokens));
      if (next_cut > 0) k = std::min<uint64_t>(k, next_cut - forwarded);  // the cut falls on its byte
      if (k == 0) return;
      const ssize_t n = send(c.To(d), front.bytes.data() + front.sent, k, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          d.blocked = true;
        } else if (errno != EINTR) {
          Close(c, true);
        }
        return;
      }
      const auto sent = static_cast<size_t>(n);
      front.sent += sent;
      d.queued -= sent;
      if (options.bits_per_second > 0) d.tokens -= static_cast<double>(sent);
      (d.up ? bytes_up : bytes_down) += sent;
      forwarded += sent;
      if (front.sent == front.bytes.size()) d.queue.pop_front();
      if (next_cut > 0 && forwarded >= next_cut) Cut(c, now);
    }
    if (!c.dead && d.eof && d.queue.empty() && !d.shut) {
      shutdown(c.To(d), SHUT_WR);
      d.shut = true;
    }
  }

  void Cut(Conn& c, Clock::time_point now) {
    const bool stall = next_is_stall;
    DrawCut();
    if (paused != nullptr && paused->load()) return;
    if (stall) {
      ++stalls;
      c.stalled_until = now + std::chrono::milliseconds(options.stall_ms);
    } else {
      ++resets;
      Close(c, true);
    }
  }

  const std::atomic<bool>* paused = nullptr;
  std::atomic<int> cuts_asked{0};  // CutNow calls the loop has not acted on yet
};

Result<std::unique_ptr<LinkProxy>> LinkProxy::Start(const LinkOptions& options) {
  if (options.target_port <= 0 || options.target_port > 65535) {
    return Status::InvalidArgument("link proxy: target port " + std::to_string(options.target_port) +
                                   " is not a port");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->rng.seed(options.seed);
  impl->DrawCut();
  impl->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (impl->listen_fd < 0 || bind(impl->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(impl->listen_fd, 64) != 0 ||
      getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || pipe(impl->wake) != 0) {
    const std::string why = std::strerror(errno);
    if (impl->listen_fd >= 0) close(impl->listen_fd);
    return Status::IOError("link proxy: cannot listen on 127.0.0.1: " + why);
  }
  NonBlocking(impl->listen_fd);
  std::unique_ptr<LinkProxy> proxy(new LinkProxy(std::move(impl)));
  proxy->port_ = ntohs(addr.sin_port);
  proxy->impl_->paused = &proxy->cuts_paused_;
  proxy->thread_ = std::thread([p = proxy.get()] { p->Loop(); });
  return proxy;
}

LinkProxy::LinkProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LinkProxy::~LinkProxy() {
  impl_->stop = true;
  const char b = 0;
  if (write(impl_->wake[1], &b, 1) < 0) {
    // The loop also wakes every 100 ms to look at `stop`.
  }
  if (thread_.joinable()) thread_.join();
  for (Conn& c : impl_->conns) {
    if (!c.dead) impl_->Close(c, true);
  }
  close(impl_->listen_fd);
  close(impl_->wake[0]);
  close(impl_->wake[1]);
}

LinkCounters LinkProxy::counters() const {
  LinkCounters c;
  c.bytes_up = impl_->bytes_up;
  c.bytes_down = impl_->bytes_down;
  c.connections = impl_->connections;
  c.requests = impl_->requests;
  c.resets = impl_->resets;
  c.stalls = impl_->stalls;
  return c;
}

void LinkProxy::CutNow() {
  ++impl_->cuts_asked;
  const char b = 1;
  if (write(impl_->wake[1], &b, 1) < 0) {
    // The loop also wakes every 100 ms and cuts then.
  }
}

void LinkProxy::Loop() {
  Impl& m = *impl_;
  std::vector<pollfd> fds;
  while (!m.stop) {
    if (m.cuts_asked.exchange(0) > 0) {
      for (Conn& c : m.conns) {
        if (c.dead) continue;
        ++m.resets;
        m.Close(c, true);
      }
      m.conns.remove_if([](const Conn& c) { return c.dead; });
    }
    auto now = Clock::now();
    int timeout = 100;
    fds.clear();
    fds.push_back({m.wake[0], POLLIN, 0});
    fds.push_back({m.listen_fd, POLLIN, 0});
    for (Conn& c : m.conns) {
      short client_events = 0, server_events = 0;
      if (now < c.stalled_until) {
        timeout = std::min(timeout, Millis(c.stalled_until - now));
      } else {
        for (Direction& d : c.dir) {
          short& from = d.up ? client_events : server_events;
          short& to = d.up ? server_events : client_events;
          if (!d.eof && d.queued < kMaxQueued) from |= POLLIN;
          if (d.blocked) to |= POLLOUT;
          if (d.queue.empty() || d.blocked) continue;
          const Chunk& front = d.queue.front();
          if (front.due > now) {
            timeout = std::min(timeout, Millis(front.due - now));
          } else if (m.options.bits_per_second > 0) {
            // Wait until a useful piece (up to 256 bytes) may leave, not for each byte.
            const double want = std::min<double>({256.0, static_cast<double>(front.bytes.size() - front.sent),
                                                  static_cast<double>(m.options.bucket_bytes)});
            const double missing = std::max(0.0, want - d.tokens);
            timeout = std::min(timeout, static_cast<int>(missing * 1000.0 / m.BytesPerSecond()) + 1);
          } else {
            timeout = 0;
          }
        }
      }
      // A socket with nothing asked of it is left out: a hung-up one would wake poll
      // at once, again and again, while its other direction drains at the link's rate.
      fds.push_back({client_events != 0 ? c.client : -1, client_events, 0});
      fds.push_back({server_events != 0 ? c.server : -1, server_events, 0});
    }
    if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) return;
    if (m.stop) return;
    now = Clock::now();
    if ((fds[0].revents & POLLIN) != 0) {
      char drained[64];  // CutNow's wake-ups; at least one byte is there, so this does not block
      if (read(m.wake[0], drained, sizeof drained) < 0) {
        // Nothing to drain after all: the next poll says so again.
      }
    }
    size_t i = 2;
    for (Conn& c : m.conns) {
      const short client_seen = fds[i++].revents, server_seen = fds[i++].revents;
      if (now < c.stalled_until) continue;
      for (Direction& d : c.dir) {
        const short seen = d.up ? client_seen : server_seen;
        if (!c.dead && !d.eof && (seen & (POLLIN | POLLHUP | POLLERR)) != 0) m.Read(c, d, now);
      }
      for (Direction& d : c.dir) {
        if (!c.dead) m.Write(c, d, now);
      }
      if (!c.dead && c.dir[0].shut && c.dir[1].shut) m.Close(c, false);
    }
    m.conns.remove_if([](const Conn& c) { return c.dead; });
    if ((fds[1].revents & POLLIN) != 0) m.Accept();
  }
}

}  // namespace sotay::testing
