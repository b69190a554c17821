// Starts the real `sotay ui --no-browser` on a device's notebook for a test and
// drives it as a browser would: the printed address's token exchanged for the
// session cookie, the same-origin header on every POST, redirects not followed (a
// test sees the 303 and where it goes). Stopped with SIGTERM at the end.
//
// Thread-safety: one test's; not shared.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "shell_runner.h"
#include "support/child_process.h"

namespace sotay::testing {

class UiProcess {
 public:
  explicit UiProcess(const Shell& sh) {
    const StartedProcess started =
        StartWithFirstLine({SOTAY_BIN, "--store", sh.store(), "ui", "--no-browser"});  // stderr: /dev/null
    if (started.pid < 0) throw std::runtime_error("sotay ui could not be started");
    pid_ = started.pid;
    // "Sổ tay đang mở ở: http://127.0.0.1:PORT/?t=TOKEN"
    const std::string& line = started.first_line;
    const size_t at = line.find("http://127.0.0.1:");
    const size_t t = line.find("/?t=");
    if (at == std::string::npos || t == std::string::npos) throw std::runtime_error("sotay ui did not start: " + line);
    origin_ = line.substr(at, t - at);
    port_ = std::stoi(origin_.substr(origin_.rfind(':') + 1));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(120);  // a page waits while a sync holds the notebook
    client_->set_url_encode(false);  // a query as a browser's form sends it ("a+b")
    auto opened = client_->Get(line.substr(t).c_str());
    if (!opened || opened->status != 303) throw std::runtime_error("sotay ui refused its own token");
    const std::string set = opened->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
    auto unlocked = Post("/unlock", {{"passphrase", sh.passphrase}, {"next", "/"}});
    if (!unlocked || unlocked->status != 303) throw std::runtime_error("sotay ui did not unlock the notebook");
  }
  ~UiProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  UiProcess(const UiProcess&) = delete;
  UiProcess& operator=(const UiProcess&) = delete;

  httplib::Result Get(const std::string& path) { return client_->Get(path.c_str(), {{"Cookie", cookie_}}); }
  httplib::Result Post(const std::string& path, const httplib::Params& form) {
    return client_->Post(path.c_str(), {{"Cookie", cookie_}, {"Origin", origin_}}, form);
  }
  // A file sent as a browser's <input type=file name=NAME> in a multipart form.
  httplib::Result PostFile(const std::string& path, const std::string& name, const std::string& file_name,
                           const std::string& bytes, const std::string& type) {
    return client_->Post(path.c_str(), {{"Cookie", cookie_}, {"Origin", origin_}},
                         httplib::MultipartFormDataItems{{name, bytes, file_name, type}});
  }
  // The body of a page that must answer 200.
  std::string Page(const std::string& path) {
    auto r = Get(path);
    if (!r || r->status != 200) throw std::runtime_error("GET " + path + " did not answer 200");
    return r->body;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string origin_, cookie_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace sotay::testing
