// Starts the real `sotay-server` on an ephemeral loopback port for a test, and
// stops it (politely, or with SIGKILL) at the end.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "shell_runner.h"

namespace sotay::testing {

// Runs `sotay-server ARGS` to completion; returns stdout (throws on failure).
inline std::string ServerAdmin(const std::vector<std::string>& args) {
  TempDir out;
  std::string cmd = Shell::Quote(SOTAY_SERVER_BIN);
  for (const std::string& a : args) cmd += " " + Shell::Quote(a);
  cmd += " >" + Shell::Quote(out.File("o")) + " 2>" + Shell::Quote(out.File("e"));
  int status = std::system(cmd.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("sotay-server " + args[0] + " failed: " + ReadBytes(out.File("e")));
  }
  return ReadBytes(out.File("o"));
}

class ServerProcess {
 public:
  // `log`: a file its log (stderr) is added to, across restarts; "" discards it.
  // `extra`: more arguments for `serve` (--files FOLDER on PostgreSQL).
  explicit ServerProcess(std::string db, std::string log = "", std::vector<std::string> extra = {})
      : db_(std::move(db)), log_(std::move(log)), extra_(std::move(extra)) {
    Start();
  }
  ~ServerProcess() { Stop(SIGTERM); }

  const std::string& url() const { return url_; }

  void Start() {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      const int err = log_.empty() ? open("/dev/null", O_WRONLY) : open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(err, STDERR_FILENO);
      close(out[0]);
      std::string port = url_.empty() ? "0" : url_.substr(url_.rfind(':') + 1);
      std::vector<std::string> args = {SOTAY_SERVER_BIN, "serve", "--db", db_, "--port", port};
      args.insert(args.end(), extra_.begin(), extra_.end());
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(SOTAY_SERVER_BIN, argv.data());
      _exit(127);
    }
    close(out[1]);
    // Read the one line that says where it listens.
    std::string line;
    char c;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline && read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const std::string prefix = "listening on ";
    if (line.rfind(prefix, 0) != 0) throw std::runtime_error("server did not start: '" + line + "'");
    url_ = line.substr(prefix.size());
  }

  // SIGKILL: the server gets no chance to finish anything.
  void Stop(int signal) {
    if (pid_ <= 0) return;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void Restart() {
    Stop(SIGTERM);
    // The port was ephemeral: take the same one again (it is free now).
    for (int i = 0; i < 50; ++i) {
      try {
        Start();
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    throw std::runtime_error("server did not restart");
  }
  pid_t pid() const { return pid_; }

 private:
  std::string db_;
  std::string log_;
  std::vector<std::string> extra_;
  std::string url_;
  pid_t pid_ = -1;
};

}  // namespace sotay::testing
