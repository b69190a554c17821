#include "http/http_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "http/http_message.h"

namespace sotay::server {

namespace {

thread_local GuardedStream* t_current = nullptr;

bool AddressOf(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  const int rc = peer ? getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len)
                      : getsockname(sock, reinterpret_cast<sockaddr*>(&a), &len);
  if (rc != 0) return false;
  char text[INET6_ADDRSTRLEN] = {0};
  if (a.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  } else {
    return false;
  }
  ip = text;
  return true;
}

}  // namespace

GuardedStream* CurrentConnection() { return t_current; }

GuardedStream::GuardedStream(int sock, const ConnectionLimits& limits)
    : sock_(sock), limits_(limits), start_(Clock::now()) {}

GuardedStream::~GuardedStream() {
  if (ssl_ == nullptr) return;
  SSL_shutdown(ssl_);  // one try: the socket does not block, the peer may be gone
  SSL_free(ssl_);
}

bool GuardedStream::AcceptTls(SSL_CTX* ctx) {
  const int flags = fcntl(sock_, F_GETFL, 0);
  if (flags < 0 || fcntl(sock_, F_SETFL, flags | O_NONBLOCK) != 0) return false;
  ssl_ = SSL_new(ctx);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, sock_) != 1) return false;
  StartRequest();  // the handshake is part of the first request's head
  for (;;) {
    ERR_clear_error();
    const int rc = SSL_accept(ssl_);
    if (rc == 1) return true;
    if (!WaitForTls(rc)) return false;
  }
}

bool GuardedStream::WaitForTls(int rc) const {
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ:
      return Wait(POLLIN);
    case SSL_ERROR_WANT_WRITE:
      return Wait(POLLOUT);
    default:
      return false;  // the peer closed, or spoke something else than TLS
  }
}

ssize_t GuardedStream::Receive(char* ptr, size_t size) {
  if (ssl_ == nullptr) {
    if (!Wait(POLLIN)) return -1;
    ssize_t n;
    do {
      n = recv(sock_, ptr, size, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
    if (n > 0) return n;
    if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return 0;
    if (!WaitForTls(n)) return -1;
  }
}

ssize_t GuardedStream::Send(const char* ptr, size_t size) {
  if (ssl_ == nullptr) {
    if (!Wait(POLLOUT)) return -1;
    ssize_t n;
    do {
      n = send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  for (;;) {
    ERR_clear_error();
    const int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
    if (n > 0) return n;
    if (!WaitForTls(n)) return -1;
  }
}

bool GuardedStream::WaitForRequest() {
  if (buf_off_ < buf_len_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
  pollfd p{sock_, POLLIN, 0};
  int rc;
  do {
    rc = poll(&p, 1, limits_.idle_timeout_s * 1000);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

void GuardedStream::StartRequest() {
  start_ = Clock::now();
  in_head_ = true;
  head_bytes_ = body_bytes_ = out_bytes_ = 0;
  body_ended_early_ = false;
}

void GuardedStream::HeadersDone() { in_head_ = false; }

long long GuardedStream::MsLeft() const {
  using std::chrono::milliseconds;
  Clock::time_point deadline;
  if (in_head_) {
    deadline = start_ + std::chrono::seconds(limits_.header_timeout_s);
  } else {
    // A second more for every 8 KiB moved (a 64 kbit/s link's rate): slow but steady
    // transfers go on; never past kMaxRequestS, so a peer trickling a body cannot
    // hold a worker for hours.
    const long long allowed =
        std::min<long long>(limits_.request_timeout_s + static_cast<long long>((body_bytes_ + out_bytes_) / 8192),
                            std::max(kMaxRequestS, limits_.request_timeout_s));
    deadline = start_ + std::chrono::seconds(allowed);
  }
  return std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
}

bool GuardedStream::Wait(short events) const {
  for (;;) {
    const long long left = MsLeft();
    if (left <= 0) {
      cut_ = true;
      return false;
    }
    pollfd p{sock_, events, 0};
    const int rc = poll(&p, 1, static_cast<int>(std::min<long long>(left, limits_.read_timeout_s * 1000LL)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0 && MsLeft() <= 0) continue;  // the deadline, not the peer, ended the wait
    return rc > 0;
  }
}

bool GuardedStream::is_readable() const {
  return buf_off_ < buf_len_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0) || Wait(POLLIN);
}

bool GuardedStream::is_writable() const { return Wait(POLLOUT); }

ssize_t GuardedStream::read(char* ptr, size_t size) {
  if (buf_off_ == buf_len_) {
    const ssize_t n = Receive(buf_, sizeof buf_);
    if (n <= 0) {
      if (!in_head_) body_ended_early_ = true;
      return n;
    }
    buf_off_ = 0;
    buf_len_ = static_cast<size_t>(n);
  }
  const size_t n = std::min(size, buf_len_ - buf_off_);
  size_t& counted = in_head_ ? head_bytes_ : body_bytes_;
  const size_t bound = in_head_ ? kMaxHeadBytes : limits_.max_body_bytes;
  if (counted + n > bound) {
    cut_ = true;
    return -1;
  }
  counted += n;
  std::memcpy(ptr, buf_ + buf_off_, n);
  buf_off_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t GuardedStream::write(const char* ptr, size_t size) {
  const ssize_t n = Send(ptr, size);
  if (n > 0) out_bytes_ += static_cast<size_t>(n);
  return n;
}

void GuardedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (!AddressOf(sock_, true, ip, port)) ip.clear();
}

void GuardedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (!AddressOf(sock_, false, ip, port)) ip.clear();
}

bool AddressGate::Enter(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  int& open = open_[group];
  if (open >= max_) {
    if (open == 0) open_.erase(group);
    return false;
  }
  ++open;
  return true;
}

void AddressGate::Leave(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(group);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

namespace {

// What connections are counted by: an IPv4 address, or an IPv6 address's /64.
std::string AddressGroup(const std::string& addr) {
  in6_addr a6{};
  if (addr.find(':') == std::string::npos || inet_pton(AF_INET6, addr.c_str(), &a6) != 1) return addr;
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", a6.s6_addr[i]);
  return std::string(hex, 16) + "::/64";
}

template <typename Server>
void UseLimits(Server& server, const ConnectionLimits& limits) {
  const size_t workers = limits.workers;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_keep_alive_timeout(limits.idle_timeout_s);
  server.set_read_timeout(limits.read_timeout_s, 0);
  server.set_write_timeout(limits.read_timeout_s, 0);
}

// One accepted connection, plain (tls == null) or TLS: counted per address, then
// its requests one after the other through `process(stream, last, closed)`, for as
// long as `running()` and the limits allow.
template <typename Process, typename Running>
bool ServeConnection(socket_t sock, const ConnectionLimits& limits, AddressGate& gate, SSL_CTX* tls,
                     size_t keep_alive_max, Running running, Process process) {
  std::string peer;
  int port = 0;
  AddressOf(sock, true, peer, port);
  const bool counted = limits.trusted_proxies.count(peer) == 0;
  const std::string group = AddressGroup(peer);
  bool ret = false;
  if (counted && !gate.Enter(group)) {
    if (tls == nullptr) {
      // Too many connections from one address: a short answer, without reading.
      HttpResponse busy =
          ErrorResponse({503, "busy", "too many connections from this address; try again in a minute"});
      const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + busy.content_type +
                                 "\r\nRetry-After: 60\r\nConnection: close\r\nContent-Length: " +
                                 std::to_string(busy.body.size()) + "\r\n\r\n" + busy.body;
      ssize_t ignored = send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      (void)ignored;
    }  // over TLS the answer would cost a handshake: the connection is just closed
  } else {
    {
      GuardedStream strm(sock, limits);
      if (tls == nullptr || strm.AcceptTls(tls)) {
        t_current = &strm;
        size_t left = keep_alive_max;
        while (running() && left > 0 && strm.WaitForRequest()) {
          strm.StartRequest();
          bool closed = false;
          ret = process(strm, left == 1, closed);
          if (!ret || closed || strm.close_after() || strm.cut()) break;
          --left;
        }
        t_current = nullptr;
      }
    }  // the TLS session ends before the socket closes
    if (counted) gate.Leave(group);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ret;
}

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits)
    : limits_(std::move(limits)), gate_(limits_.max_connections_per_address) {
  UseLimits(*this, limits_);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  return ServeConnection(
      sock, limits_, gate_, nullptr, keep_alive_max_count_, [this] { return svr_sock_ != INVALID_SOCKET; },
      [this](GuardedStream& strm, bool last, bool& closed) { return process_request(strm, last, closed, nullptr); });
}

GuardedTlsServer::GuardedTlsServer(const std::string& cert_path, const std::string& key_path, ConnectionLimits limits)
    : httplib::SSLServer(cert_path.c_str(), key_path.c_str()),
      limits_(std::move(limits)),
      gate_(limits_.max_connections_per_address) {
  UseLimits(*this, limits_);
}

bool GuardedTlsServer::process_and_close_socket(socket_t sock) {
  return ServeConnection(
      sock, limits_, gate_, ssl_context(), keep_alive_max_count_, [this] { return svr_sock_ != INVALID_SOCKET; },
      [this](GuardedStream& strm, bool last, bool& closed) { return process_request(strm, last, closed, nullptr); });
}

}  // namespace sotay::server
