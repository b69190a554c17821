// `sotay ui`'s pages over a notebook of 5,000 children (issue 19: each page under
// 100 ms): the real `sotay ui` started on a notebook made here, unlocked as a
// browser would (token, cookie, passphrase), then each page asked 5 times over
// loopback and its median printed with its ratio to the target, and JSON on the last
// line. Times include HTTP on loopback; on a shared machine they are upper bounds.
//
//   ui_bench [children]   default 5000
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sotay/notebook.h"
#include "sotay/read_file.h"

using namespace sotay;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kTargetMs = 100;
const char* kPassphrase = "bench passphrase";

Answers Child(std::mt19937& rng, int i) {
  static const char* family[] = {"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Đặng"};
  static const char* middle[] = {"Văn", "Văn", "Thị", "Thị", "Minh", "Đức", "Ngọc"};
  static const char* given[] = {"An", "Anh", "Bình", "Châu", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Páo", "Tú", "Vy"};
  const std::string name = std::string(family[rng() % 10]) + " " + middle[rng() % 7] + " " + given[rng() % 12];
  char dob[11];
  std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 2011 + static_cast<int>(rng() % 14), 1 + static_cast<int>(rng() % 12),
                1 + static_cast<int>(rng() % 28));
  static const char* village[] = {"Thôn Đông", "Thôn Tây", "Bản Pá Khoang", "Bản Mường", "Thôn Trung"};
  return {{"full_name", name},         {"sex", i % 2 ? "male" : "female"}, {"dob", dob},
          {"ethnicity", "kinh"},       {"birth_registered", "no"},
          {"village", village[i % 5]},    {"living_with", "relatives"},       {"caregiver_name", "Hoàng Thị Lan"},
          {"household_poverty", "poor"}, {"in_school", "no"},              {"dropout_reason", "work"},
          {"health_insurance", "yes"}, {"disability", "no"}};
}

int Die(const std::string& why) {
  std::fprintf(stderr, "ui_bench: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("sotay_ui_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string first_id;
  {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();  // the bench times pages, not the unlock
    auto nb = Notebook::Create((dir / "notebook.db").string(), kPassphrase, o);
    if (!nb.ok()) return Die(nb.status().ToString());
    if (Status s = (*nb)->SetProfile("01234", "worker-1"); !s.ok()) return Die(s.ToString());
    auto form_text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
    auto installed = form_text.ok() ? (*nb)->InstallForm(*form_text, "child_profile.json") : form_text.status();
    if (!installed.ok()) return Die(installed.status().ToString());
    std::mt19937 rng(19);
    std::vector<Answers> rows;
    for (int i = 0; i < n; ++i) rows.push_back(Child(rng, i));
    auto saved = (*nb)->CreateRecords("child_profile", rows, "vi");
    if (!saved.ok()) return Die(saved.status().ToString());
    first_id = (*saved)[0].id;
    for (const char* day : {"2025-03-02", "2025-03-09"}) {
      auto visit = (*nb)->CreateRecord("child_profile.home_visits",
                                       {{"visit_date", day}, {"visit_purpose", "routine"}, {"child_seen", "yes"},
                                        {"risk_level", "low"}},
                                       first_id, "vi");
      if (!visit.ok()) return Die(visit.status().ToString());
    }
  }

  // The real `sotay ui`, its address read from its first line.
  int out[2];
  if (pipe(out) != 0) return Die("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    setenv("SOTAY_HOME", dir.c_str(), 1);
    execl(SOTAY_BIN, "sotay", "ui", "--no-browser", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string printed;
  char buf[512];
  std::smatch m;
  const std::regex url_re("http://127\\.0\\.0\\.1:([0-9]+)/\\?t=([0-9a-f]{64})");
  while (!std::regex_search(printed, m, url_re)) {
    const ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) return Die("sotay ui printed no address: " + printed);
    printed.append(buf, static_cast<size_t>(got));
  }
  const int port = std::stoi(m[1]);
  const std::string token = m[2];
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  httplib::Client http("127.0.0.1", port);
  auto exchanged = http.Get(("/?t=" + token).c_str());
  if (!exchanged || exchanged->status != 303) return Die("the token was not exchanged");
  const std::string set = exchanged->get_header_value("Set-Cookie");
  const httplib::Headers session{{"Cookie", set.substr(0, set.find(';'))}, {"Origin", origin}};
  auto unlocked = http.Post("/unlock", session, std::string("passphrase=") + "bench+passphrase",
                            "application/x-www-form-urlencoded");
  if (!unlocked || unlocked->status != 303) return Die("the notebook did not unlock");
  auto drafted = http.Post("/new", session, "form=child_profile", "application/x-www-form-urlencoded");
  if (!drafted || drafted->status != 303) return Die("no draft");
  const std::string draft = drafted->get_header_value("Location");

  struct PageCase {
    const char* name;
    std::string path;
    std::string post;  // a form body: POST instead of GET
  };
  const std::vector<PageCase> pages{
      {"home", "/", ""},
      {"register", "/register", ""},
      {"register searched: nguyen", "/register", "q=nguyen"},
      {"register searched: nguyen van an", "/register", "q=nguyen+van+an"},
      {"register, village and age", "/register?village=Th%C3%B4n+T%C3%A2y&age=6-11", ""},
      {"register, page 50", "/register", "page=50"},
      {"record", "/record/" + first_id, ""},
      {"form step", draft, ""},
      {"form answer (refused)", draft, "do=next&a="},
      {"conflicts", "/conflicts", ""},
      {"sync", "/sync", ""},
  };
  nlohmann::json figures = nlohmann::json::object();
  bool all_under = true;
  std::printf("%d children; median of 5 requests over loopback\n", n);
  for (const PageCase& p : pages) {
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
      const auto start = Clock::now();
      auto res = p.post.empty() ? http.Get(p.path.c_str(), session)
                                : http.Post(p.path.c_str(), session, p.post, "application/x-www-form-urlencoded");
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!res || (res->status != 200 && res->status != 422)) return Die(std::string("page failed: ") + p.name);
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[2];
    all_under = all_under && median < kTargetMs;
    std::printf("  %-28s %8.1f ms  (%.2f of the %g ms target)\n", p.name, median, median / kTargetMs, kTargetMs);
    figures[p.name] = median;
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  fs::remove_all(dir);
  std::printf("%s\n", nlohmann::json{{"children", n}, {"median_ms", figures}, {"all_under_target", all_under}}.dump().c_str());
  return 0;
}
