// Runs the real `sotay` binary as a worker would: arguments, typed input, and the
// passphrase in the environment; captures what it prints and its exit code.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace sotay::testing {

struct Run {
  int code = -1;
  std::string out, err;
};

// A `sotay` started by Shell::Start and not yet waited for: a test kills it mid-run
// (SIGKILL: nothing of it finishes, as when a phone's battery dies) or waits for it.
class ShellProcess {
 public:
  ShellProcess(pid_t pid, std::string out, std::string err) : pid_(pid), out_(std::move(out)), err_(std::move(err)) {}
  ~ShellProcess() { Kill(); }
  ShellProcess(const ShellProcess&) = delete;
  ShellProcess& operator=(const ShellProcess&) = delete;

  // True until it exits (it is reaped then, and Wait returns what it printed).
  bool Running() {
    if (pid_ <= 0) return false;
    if (waitpid(pid_, &status_, WNOHANG) != pid_) return true;
    pid_ = -1;
    return false;
  }
  // Kills it if it still runs; false if it had exited already.
  bool Kill() {
    if (!Running()) return false;
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return true;
  }
  Run Wait() {
    if (pid_ > 0) waitpid(pid_, &status_, 0);
    pid_ = -1;
    Run r;
    r.code = WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    r.out = ReadBytes(out_);
    r.err = ReadBytes(err_);
    return r;
  }

 private:
  pid_t pid_;
  std::string out_, err_;
  int status_ = 0;
};

class Shell {
 public:
  std::string passphrase = "mật khẩu thử nghiệm";
  std::string lang;  // "" for the default (Vietnamese)

  std::string store() const { return dir_.File("notebook.db"); }
  const TempDir& dir() const { return dir_; }

  Run operator()(const std::vector<std::string>& args, const std::string& input = "") const {
    const std::string in = dir_.File("stdin.txt"), out = dir_.File("stdout.txt"), err = dir_.File("stderr.txt");
    std::ofstream(in, std::ios::binary) << input;
    std::string cmd = "SOTAY_PASSPHRASE=" + Quote(passphrase) + " " + Quote(SOTAY_BIN) +
                      " --store " + Quote(store());
    if (!lang.empty()) cmd += " --lang " + lang;
    for (const std::string& a : args) cmd += " " + Quote(a);
    cmd += " <" + Quote(in) + " >" + Quote(out) + " 2>" + Quote(err);
    int status = std::system(cmd.c_str());
    Run r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadBytes(out);
    r.err = ReadBytes(err);
    return r;
  }

  // Starts `sotay ARGS` (no input) and returns at once.
  std::unique_ptr<ShellProcess> Start(const std::vector<std::string>& args) const {
    const std::string out = dir_.File("stdout-bg.txt"), err = dir_.File("stderr-bg.txt"), s = store();
    // Everything the child needs is made before fork: a test may run threads (the
    // link proxy), and between fork and exec only async-signal-safe calls are safe.
    std::vector<std::string> words = {SOTAY_BIN, "--store", s};
    if (!lang.empty()) words.insert(words.end(), {"--lang", lang});
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_words = {"SOTAY_PASSPHRASE=" + passphrase};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string(*e).rfind("SOTAY_PASSPHRASE=", 0) != 0) env_words.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (std::string& e : env_words) envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      const int in = open("/dev/null", O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
                e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || o < 0 || e < 0) _exit(126);
      dup2(in, STDIN_FILENO);
      dup2(o, STDOUT_FILENO);
      dup2(e, STDERR_FILENO);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    return std::make_unique<ShellProcess>(pid, out, err);
  }

  // Writes a file in the test's directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static std::string Quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  }

 private:
  TempDir dir_;
};

// The child profile's typed answers from the village on (the commune is the
// record's area: never asked), one line each in the
// order the interview asks: a child of Bản Phố living with both parents, in primary
// school, insured, no disability, no special circumstance, no notes; Vietnamese, not
// a migrant, parents at home, not working, untouched by disasters (version 3).
inline std::string ProfileAnswersFromVillage() {
  return "Bản Phố\n"       // village
         "\n"              // nationality: Enter keeps the offered Vietnamese
         "\n"              // migration: none
         "1\n"             // lives with both parents
         "Nguyễn Văn Cha\n"
         "\n"              // caregiver phone: none
         "\n"              // parents working away: no
         "3\n"             // neither poor nor near-poor
         "\n"              // no sibling's profile to link
         "1\n"             // in school: yes
         "2\n"             // school level: primary
         "\n"              // works: no
         "1\n"             // health insurance: yes
         "2\n"             // disability: no
         "\n"              // special circumstances: none
         "\n"              // affected by a disaster: no
         "\n";             // notes: none
}

}  // namespace sotay::testing
