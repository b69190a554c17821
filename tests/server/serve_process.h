// The real `sotay-server serve` in a child process on an ephemeral loopback port,
// and raw-socket helpers to talk to it as an attacker or a slow phone would.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/child_process.h"

namespace sotay::server::testing {

class ServeProcess {
 public:
  // `stderr_path`: where the server's log (stderr) goes; "" discards it.
  ServeProcess(const std::string& db, std::vector<std::string> extra = {}, const std::string& stderr_path = "") {
    std::vector<std::string> args = {SOTAY_SERVER_BIN, "serve", "--db", db, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    const sotay::testing::StartedProcess started = sotay::testing::StartWithFirstLine(args, stderr_path);
    pid_ = started.pid;
    REQUIRE(pid_ > 0);
    const std::string& line = started.first_line;
    const std::string prefix = "listening on http://127.0.0.1:", tls_prefix = "listening on https://127.0.0.1:";
    INFO(line);
    if (line.rfind(tls_prefix, 0) == 0) {
      port_ = std::stoi(line.substr(tls_prefix.size()));
    } else {
      REQUIRE(line.rfind(prefix, 0) == 0);
      port_ = std::stoi(line.substr(prefix.size()));
    }
  }
  ~ServeProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // The peak resident memory of the server so far (VmHWM), in KiB.
  long PeakKib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string word;
    while (in >> word) {
      if (word == "VmHWM:") {
        long kib = 0;
        in >> kib;
        return kib;
      }
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// A connected socket to 127.0.0.1:port whose reads give up after `recv_timeout_s`,
// or -1 when nothing listens there (a server killed on purpose).
inline int TryConnectTo(int port, int recv_timeout_s = 10) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{recv_timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The same, where the server must be there.
inline int ConnectTo(int port, int recv_timeout_s = 10) {
  const int fd = TryConnectTo(port, recv_timeout_s);
  REQUIRE(fd >= 0);
  return fd;
}

inline bool SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Reads until the server closes the connection or the read times out.
inline std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// One request on a fresh connection; the raw answer ("" when none came in time).
inline std::string RawExchange(int port, const std::string& request, int recv_timeout_s = 10) {
  const int fd = ConnectTo(port, recv_timeout_s);
  SendAll(fd, request);
  std::string out = ReadAll(fd);
  close(fd);
  return out;
}

}  // namespace sotay::server::testing
