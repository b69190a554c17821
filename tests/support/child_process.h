// A program started with its stdout on a pipe and the first line it prints read: how
// the tests and benches start `sotay-server serve` and `sotay ui`, which say on their
// first line where they listen. POSIX.
//
// Thread-safety: forks; call before the caller starts threads of its own.
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace sotay::testing {

struct StartedProcess {
  pid_t pid = -1;          // -1: the pipe or the fork failed
  std::string first_line;  // without its newline; "" when it exited first
};

// Runs `argv` (argv[0] is the program's path) with its stderr to `stderr_path`
// (appended to, made owner-only) or to /dev/null when "".
inline StartedProcess StartWithFirstLine(std::vector<std::string> argv, const std::string& stderr_path = "") {
  StartedProcess started;
  int out[2];
  if (pipe(out) != 0) return started;
  started.pid = fork();
  if (started.pid < 0) {
    close(out[0]);
    close(out[1]);
    return started;
  }
  if (started.pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int err = stderr_path.empty() ? open("/dev/null", O_WRONLY)
                                        : open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(err, STDERR_FILENO);
    close(out[0]);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') started.first_line += c;
  close(out[0]);
  return started;
}

}  // namespace sotay::testing
