#include "http_connection.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "http_message.h"

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

bool GuardedStream::WaitForRequest() {
  if (buf_off_ < buf_len_) return true;
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

bool GuardedStream::is_readable() const { return buf_off_ < buf_len_ || Wait(POLLIN); }

bool GuardedStream::is_writable() const { return Wait(POLLOUT); }

ssize_t GuardedStream::read(char* ptr, size_t size) {
  if (buf_off_ == buf_len_) {
    if (!Wait(POLLIN)) return -1;
    ssize_t n;
    do {
      n = recv(sock_, buf_, sizeof buf_, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
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
  if (!Wait(POLLOUT)) return -1;
  ssize_t n;
  do {
    n = send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n > 0) out_bytes_ += static_cast<size_t>(n);
  return n;
}

void GuardedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (!AddressOf(sock_, true, ip, port)) ip.clear();
}

void GuardedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (!AddressOf(sock_, false, ip, port)) ip.clear();
}

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(std::move(limits)) {
  const size_t workers = limits_.workers;
  new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  set_keep_alive_timeout(limits_.idle_timeout_s);
  set_read_timeout(limits_.read_timeout_s, 0);
  set_write_timeout(limits_.read_timeout_s, 0);
}

bool GuardedServer::EnterAddress(const std::string& addr) {
  std::lock_guard<std::mutex> lock(mu_);
  int& open = open_per_address_[addr];
  if (open >= limits_.max_connections_per_address) {
    if (open == 0) open_per_address_.erase(addr);
    return false;
  }
  ++open;
  return true;
}

void GuardedServer::LeaveAddress(const std::string& addr) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_per_address_.find(addr);
  if (it != open_per_address_.end() && --it->second <= 0) open_per_address_.erase(it);
}

// What connections are counted by: an IPv4 address, or an IPv6 address's /64.
static std::string AddressGroup(const std::string& addr) {
  in6_addr a6{};
  if (addr.find(':') == std::string::npos || inet_pton(AF_INET6, addr.c_str(), &a6) != 1) return addr;
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", a6.s6_addr[i]);
  return std::string(hex, 16) + "::/64";
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  std::string peer;
  int port = 0;
  AddressOf(sock, true, peer, port);
  const bool counted = limits_.trusted_proxies.count(peer) == 0;
  const std::string addr = AddressGroup(peer);
  bool ret = false;
  if (counted && !EnterAddress(addr)) {
    // Too many connections from one address: a short answer, without reading.
    HttpResponse busy =
        ErrorResponse({503, "busy", "too many connections from this address; try again in a minute"});
    const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + busy.content_type +
                               "\r\nRetry-After: 60\r\nConnection: close\r\nContent-Length: " +
                               std::to_string(busy.body.size()) + "\r\n\r\n" + busy.body;
    ssize_t ignored = send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)ignored;
  } else {
    GuardedStream strm(sock, limits_);
    t_current = &strm;
    size_t left = keep_alive_max_count_;
    while (svr_sock_ != INVALID_SOCKET && left > 0 && strm.WaitForRequest()) {
      strm.StartRequest();
      bool closed = false;
      ret = process_request(strm, left == 1, closed, nullptr);
      if (!ret || closed || strm.close_after() || strm.cut()) break;
      --left;
    }
    t_current = nullptr;
    if (counted) LeaveAddress(addr);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ret;
}

}  // namespace sotay::server
