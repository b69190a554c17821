// One accepted connection as the server reads it: the deadlines and size bounds that
// cpp-httplib 0.11.4 does not have (issue 12), enforced under it, in the Stream it
// reads from. With httplib.h; only http_adapter.cc includes this.
//
// A request's clock starts when its first byte is there. Its request line and
// headers must arrive within `header_timeout_s` and hold at most kMaxHeadBytes (a
// peer trickling a header a byte at a time, or sending one endless line, is cut).
// The whole request, answer included, must end within `request_timeout_s`, plus a
// second for every 8 KiB of body read or answer written, and never past ten minutes:
// a slow but steady 2G upload keeps going, a stalled or trickling one does not hold a
// worker. Connections are counted per address, an IPv6 address by its /64 (one
// subscriber's block), so a block of addresses cannot take every worker. Between requests a connection
// may stay idle for `idle_timeout_s`. HTTPS (GuardedTlsServer) keeps the same rules:
// the TLS handshake counts as part of the first request's head, and TLS is read on a
// non-blocking socket so a peer trickling a TLS record cannot hold a worker inside
// OpenSSL either.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace sotay::server {

struct ConnectionLimits {
  int header_timeout_s = 15;
  int request_timeout_s = 120;
  int idle_timeout_s = 5;
  int read_timeout_s = 20;   // one read or write that makes no progress at all
  size_t max_body_bytes = 4 << 20;  // raw bytes of one body (chunk framing counted)
  size_t workers = 64;
  int max_connections_per_address = 16;  // not counted for trusted proxies
  std::set<std::string> trusted_proxies;
};

class GuardedStream : public httplib::Stream {
 public:
  static constexpr size_t kMaxHeadBytes = 64 * 1024;
  static constexpr int kMaxRequestS = 600;  // whatever the request moves

  GuardedStream(int sock, const ConnectionLimits& limits);
  ~GuardedStream() override;
  GuardedStream(const GuardedStream&) = delete;
  GuardedStream& operator=(const GuardedStream&) = delete;

  // Speaks TLS from now on: the server's side of the handshake, within the header
  // timeout. False if it failed or the deadline passed.
  bool AcceptTls(SSL_CTX* ctx);

  // Waits (at most the idle timeout) for the next request's first byte; false if
  // none came or the peer left.
  bool WaitForRequest();
  // The request's clock starts now.
  void StartRequest();
  // The head was read: from here on the request deadline applies, and at most
  // `max_body_bytes` more are read.
  void HeadersDone();
  // The answer goes out with "Connection: close" and the connection ends after it
  // (set when a body is left unread).
  void CloseAfterAnswer() { close_after_ = true; }
  bool close_after() const { return close_after_; }
  // True once a read or write was refused because of a deadline or a bound.
  bool cut() const { return cut_; }
  // True once the body stopped before its end: the peer closed, the link failed or
  // went silent past the deadline (a phone losing signal mid-upload).
  bool body_ended_early() const { return body_ended_early_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  using Clock = std::chrono::steady_clock;
  // Milliseconds left before the current phase's deadline (<= 0: passed).
  long long MsLeft() const;
  bool Wait(short events) const;
  // One recv or send, or SSL_read or SSL_write once TLS is on, waiting within the
  // deadline for the socket as the protocol needs.
  ssize_t Receive(char* ptr, size_t size);
  ssize_t Send(const char* ptr, size_t size);
  // After a TLS call returned `rc` <= 0: waits for what it needs; false to give up.
  bool WaitForTls(int rc) const;

  const int sock_;
  const ConnectionLimits& limits_;
  SSL* ssl_ = nullptr;
  char buf_[4096];
  size_t buf_off_ = 0, buf_len_ = 0;
  Clock::time_point start_;
  bool in_head_ = true;
  size_t head_bytes_ = 0, body_bytes_ = 0, out_bytes_ = 0;
  bool close_after_ = false;
  mutable bool cut_ = false;
  bool body_ended_early_ = false;
};

// The connection being served on this thread, or null (for the pre-routing guard,
// which sees only the Request).
GuardedStream* CurrentConnection();

// Connections open per address (an IPv4 address, an IPv6 /64), shared by a server's
// workers.
class AddressGate {
 public:
  explicit AddressGate(int max_per_address) : max_(max_per_address) {}
  bool Enter(const std::string& group);
  void Leave(const std::string& group);

 private:
  const int max_;
  std::mutex mu_;
  std::map<std::string, int> open_;
};

// httplib::Server with its per-connection loop replaced: reads through a
// GuardedStream, caps connections per address, and ends a connection whose answer
// had to leave a body unread.
class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);

 private:
  bool process_and_close_socket(socket_t sock) override;

  const ConnectionLimits limits_;
  AddressGate gate_;
};

// The same over TLS, with httplib's certificate loading (SSLServer) and our loop.
class GuardedTlsServer : public httplib::SSLServer {
 public:
  GuardedTlsServer(const std::string& cert_path, const std::string& key_path, ConnectionLimits limits);

 private:
  bool process_and_close_socket(socket_t sock) override;

  const ConnectionLimits limits_;
  AddressGate gate_;
};

}  // namespace sotay::server
