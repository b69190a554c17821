// docs/deploy/nginx-sotay.conf, as shipped minus its certificate lines, run by
// Debian's nginx in front of a real `sotay-server serve --trusted-proxy 127.0.0.1`:
// requests pass through, one address is held to its limits, slow heads are cut.
#define CATCH_CONFIG_MAIN
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "server/post_sync.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Replace(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  return true;
}

// The shipped file for a test: no certificate, this test's ports (a second server
// process's too, when given), a 2 s header timeout.
std::string TestConfig(int listen_port, int server_port, int second_port = 0) {
  std::ifstream in(SOTAY_SOURCE_DIR "/docs/deploy/nginx-sotay.conf");
  REQUIRE(in);
  std::string out, line;
  bool listened = false;
  while (std::getline(in, line)) {
    const std::string tag = "# TLS";
    if (line.size() >= tag.size() && line.compare(line.size() - tag.size(), tag.size(), tag) == 0) {
      if (!listened) out += "    listen 127.0.0.1:" + std::to_string(listen_port) + ";\n";
      listened = true;
      continue;
    }
    out += line + "\n";
  }
  REQUIRE(listened);
  REQUIRE(Replace(out, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(server_port) + ";"));
  if (second_port != 0) {
    REQUIRE(Replace(out, "# server 127.0.0.1:8081;", "server 127.0.0.1:" + std::to_string(second_port) + ";"));
  }
  REQUIRE(Replace(out, "client_header_timeout 10s;", "client_header_timeout 2s;"));
  return out;
}

class Nginx {
 public:
  Nginx(const TempDir& dir, const std::string& site, int port) {
    chmod(dir.path().c_str(), 0755);  // nginx's workers may run as nobody
    std::ofstream(dir.File("sotay.conf")) << site;
    const std::string d = dir.path().string();
    std::ofstream(dir.File("nginx.conf"))
        << "worker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d << "/error.log;\n"
        << "events { worker_connections 256; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n  include " << d << "/sotay.conf;\n}\n";
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
      execl(SOTAY_NGINX_BIN, SOTAY_NGINX_BIN, "-p", d.c_str(), "-c", dir.File("nginx.conf").c_str(), "-e",
            dir.File("error.log").c_str(), "-g", "daemon off;", static_cast<char*>(nullptr));
      _exit(127);
    }
    // Up when it accepts a connection; gone if it exited (a bad configuration).
    for (int i = 0; i < 100 && !up_; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      up_ = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (!up_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!up_) {
      std::ifstream log(dir.File("error.log"));
      std::stringstream text;
      text << log.rdbuf();
      FAIL("nginx did not start: " << text.str());
    }
  }
  ~Nginx() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

 private:
  pid_t pid_ = -1;
  bool up_ = false;
};

std::string StatusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

}  // namespace

TEST_CASE("deploy: the shipped nginx configuration passes sync through, limits an address and cuts slow heads",
          "[deploy][nginx]") {
  ServerWorld w;
  ServeProcess server(w.db, {"--trusted-proxy", "127.0.0.1"});
  TempDir dir;
  const int port = FreePort();
  Nginx nginx(dir, TestConfig(port, server.port()), port);

  const std::string health = RawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(StatusLine(health) == "HTTP/1.1 200 OK");
  CHECK(health.find("{\"ok\":true}") != std::string::npos);
  // A sync body reaches the server (unsigned, so it is refused there, not by nginx).
  const std::string sync = RawExchange(
      port, "POST /v1/sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
  CHECK(StatusLine(sync) == "HTTP/1.1 400 Bad Request");
  CHECK(sync.find("\"error\":\"malformed\"") != std::string::npos);

  // A slow head is cut by nginx.
  const int slow = ConnectTo(port);
  REQUIRE(SendAll(slow, "GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  bool cut = false;
  for (int round = 0; round < 40 && !cut; ++round) {  // at most 10 s
    char buf[256];
    const ssize_t n = recv(slow, buf, sizeof buf, MSG_DONTWAIT);
    cut = n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || !SendAll(slow, "X");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  close(slow);
  CHECK(cut);

  // Sign-ins have a tighter limit of their own (10 a minute, bursts of 5).
  int signins_limited = 0;
  for (int i = 0; i < 8; ++i) {
    signins_limited +=
        StatusLine(RawExchange(port, "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n")) ==
        "HTTP/1.1 429 Too Many Requests";
  }
  CHECK(signins_limited > 0);
  // One address, many requests at once: past the burst, 429.
  int limited = 0;
  for (int i = 0; i < 80; ++i) {
    limited += StatusLine(RawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) ==
               "HTTP/1.1 429 Too Many Requests";
  }
  CHECK(limited > 0);
}

TEST_CASE("deploy: two server processes on one database behind the shipped nginx: a device syncs through both, "
          "and on through one when the other stops",
          "[deploy][nginx]") {
  ServerWorld w;
  TempDir logs;
  auto first = std::make_unique<ServeProcess>(w.db, std::vector<std::string>{"--trusted-proxy", "127.0.0.1"},
                                              logs.File("first.log"));
  ServeProcess second(w.db, {"--trusted-proxy", "127.0.0.1"}, logs.File("second.log"));
  TempDir dir;
  const int port = FreePort();
  Nginx nginx(dir, TestConfig(port, first->port(), second.port()), port);
  TestDevice dev = w.Device("w-a");
  TestDevice other = w.Device("w-b");  // of the same commune: pulls what dev pushed
  auto sync = [&](const std::vector<Edit>& push, uint64_t cursor, const TestDevice* as = nullptr) {
    SyncRequest r;
    r.cursor = cursor;
    r.push = push;
    r.forms = {"case_test@1"};
    auto [status, body] = PostSync(port, as != nullptr ? *as : dev, r);
    REQUIRE(status == 200);
    auto res = DecodeSyncResponse(body);
    REQUIRE(res.ok());
    return std::move(res).value();
  };
  CHECK(sync(dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Thị Mai"}}), 0).rejected.empty());
  for (int i = 0; i < 5; ++i) sync({}, 0);
  // nginx shares the requests out: each process answered some (each logs a line a request).
  auto served = [&](const std::string& log) {
    std::ifstream in(logs.File(log));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find("/v1/sync") != std::string::npos;
    return n;
  };
  CHECK(served("first.log") > 0);
  CHECK(served("second.log") > 0);
  // One process stops: nginx passes what it cannot reach to the other.
  first.reset();
  CHECK(sync(dev.CreateRecord(RecordId(2), "01234", {{"full_name", "Vàng A Páo"}}), 0).rejected.empty());
  std::set<std::string> records;
  for (const Edit& e : sync({}, 0, &other).pull) records.insert(e.record);
  CHECK(records == std::set<std::string>{RecordId(1), RecordId(2)});
}
