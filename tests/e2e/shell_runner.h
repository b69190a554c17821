// Runs the real `sotay` binary as a worker would: arguments, typed input, and the
// passphrase in the environment; captures what it prints and its exit code.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace sotay::testing {

struct Run {
  int code = -1;
  std::string out, err;
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
