// The real `sotay-server serve`: it says where it listens, answers on that port,
// and stops cleanly on SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "admin/admin_cli.h"
#include "server_world.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

// One HTTP/1.1 exchange over a plain socket; returns the raw response.
std::string Exchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

}  // namespace

TEST_CASE("serve: one line on stdout names the port - SIGTERM stops it cleanly", "[server][serve]") {
  ServerWorld w;  // a database with areas, forms and users
  int out[2];
  REQUIRE(pipe(out) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDERR_FILENO);
    close(out[0]);
    execl(SOTAY_SERVER_BIN, SOTAY_SERVER_BIN, "serve", "--db", w.db.c_str(), "--port", "0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  const std::string prefix = "listening on http://127.0.0.1:";
  REQUIRE(line.rfind(prefix, 0) == 0);
  const int port = std::stoi(line.substr(prefix.size()));
  CHECK(port > 0);

  std::string health = Exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(health.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(health.find("{\"ok\":true}") != std::string::npos);
  std::string missing = Exchange(port, "GET /v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(missing.rfind("HTTP/1.1 404", 0) == 0);
  CHECK(missing.find("\"error\":\"not_found\"") != std::string::npos);
  std::string unsigned_sync = Exchange(
      port, "POST /v1/sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
  CHECK(unsigned_sync.rfind("HTTP/1.1 400", 0) == 0);
  std::string metrics = Exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(metrics.find("sotay_requests_total{path=\"/healthz\",status=\"200\"} 1") != std::string::npos);

  std::string rest;
  ssize_t n;
  char buf[256];
  REQUIRE(kill(pid, SIGTERM) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  while ((n = read(out[0], buf, sizeof buf)) > 0) rest.append(buf, static_cast<size_t>(n));
  close(out[0]);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(rest.empty());  // exactly one line on stdout
}
