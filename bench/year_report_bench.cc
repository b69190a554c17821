// The year report (core/include/sotay/year_report.h) on a generated province: the
// 100,000 children of register_bench_data.h, each with an ethnicity and some with a
// special group, over 150 communes in 10 districts, with abuse cases for one child
// in twenty. Times, against the targets:
//  1. ComputeYearReport over the records in memory (every unit, every breakdown;
//     target < 2 s);
//  2. GET /reports for a whole year as the province's staff, through App::Handle
//     on a real server database: the first view (the record index decodes every
//     record), again (the figures kept: web/report_cache.h; target < 1 s), and
//     after one record changed (computed again). Some records are edited
//     after the year, so the as-of replay (store/report_records.h) runs too.
// JSON on the last line.
//
//   year_report_bench [children]   default 100000
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "admin/admin_ops.h"
#include "admin/area_tree.h"
#include "admin/crypto.h"
#include "app.h"
#include "bench_dashboard.h"
#include "register_bench_data.h"
#include "sotay/year_report.h"
#include "store/form_catalog.h"
#include "store/report_records.h"
#include "sync/push_applier.h"
#include "web/form_body.h"

using namespace sotay;
using namespace sotay::server;

namespace {

constexpr double kReportTarget = 2.0, kPageTarget = 1.0;
const char* kPassword = "bench password, long enough";
const std::vector<const char*> kEthnicities = {"kinh", "kinh", "kinh", "kinh", "kinh", "kinh", "tay",
                                               "thai", "muong", "mong", "dao", "nung", "khmer", "hoa"};

// Today is 2026-03-01 (UTC+7): the report is of 2025, past.
class BenchEnv : public Env {
 public:
  int64_t NowMs() override { return now_ms; }
  int64_t LocalNowMs() override { return now_ms + 7 * 3600 * 1000; }
  void RandomBytes(uint8_t* out, size_t n) override { randombytes_buf(out, n); }
  int64_t now_ms = 1772323200000;  // 2026-03-01 00:00 UTC
};

std::string Uuid(char kind, size_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%c%07zx-0000-4000-8000-%012zu", kind, n + 1, n);
  return buf;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "year_report_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

// The district of a generated commune (14800 + 7k): ten districts of fifteen.
std::string DistrictOf(const std::string& commune) {
  return "38" + std::to_string(((std::stoi(commune) - 14800) / 7) / 15);
}

struct Generated {
  std::vector<ReportRecord> records;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> answers;  // by id, as pushed
};

}  // namespace

int main(int argc, char** argv) {
  const int children = argc > 1 ? std::atoi(argv[1]) : 100000;
  if (!InitCrypto()) return 1;
  const bench::Province province = bench::GenerateProvince(children);
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("sotay-year-bench-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/server.db";
  BenchEnv env;

  std::set<std::string> communes, districts;
  for (const DuplicateProfile& p : province.profiles) communes.insert(p.area);
  {
    std::ofstream areas(dir + "/areas.csv");
    areas << "code,name,parent_code,level\n38,Tỉnh Bench,,province\n";
    for (const std::string& c : communes) districts.insert(DistrictOf(c));
    for (const std::string& d : districts) areas << d << ",Huyện " << d << ",38,district\n";
    for (const std::string& c : communes) areas << c << ",Xã " << c << "," << DistrictOf(c) << ",commune\n";
  }
  auto init = InitServer(db, dir + "/areas.csv", SOTAY_SCHEMAS_DIR, &env);
  if (!init.ok()) return Fail("init", init.status());

  // The records: every child's profile (made in 2025), an abuse case for one in
  // twenty (reported in 2025), and one case in ten of those closed in 2026.
  const auto load_start = std::chrono::steady_clock::now();
  std::vector<ReportRecord> in_memory;
  size_t cases = 0, edited_after = 0;
  std::vector<const Form*> latest;
  {
    auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
    if (!store.ok()) return Fail("open", store.status());
    Status s = AddUser(**store, "tinh", Role::kDistrict, "38", std::string(kPassword), &env);
    if (!s.ok()) return Fail("add user", s);
    auto areas = AreaTree::Build(*(*store)->LoadAreas());
    if (!areas.ok()) return Fail("areas", areas.status());
    auto forms = FormCatalog::Load(**store);
    if (!forms.ok()) return Fail("forms", forms.status());
    std::map<std::string, int> version;
    for (const Form* f : forms->Latest()) version[f->id] = f->version;
    const Principal who{"bench-device", "tinh", Role::kDistrict, "38"};
    uint64_t counter = 0;
    const int64_t made_2025 = *ParseIsoDate("2025-06-01") * 86400000;
    const auto edit = [&](const std::string& record, const std::string& field, const std::string& value,
                          int64_t at_ms) {
      ++counter;
      return Edit{Dot{"bench-device", counter}, record, field, value, Hlc{at_ms + static_cast<int64_t>(counter), 0, "bench-device"},
                  {}, "tinh"};
    };
    std::vector<Edit> edits;
    const auto flush = [&]() -> Status {
      ServerStore::Transaction txn(**store);
      auto out = ApplyPush(**store, *areas, *forms, who, edits, env.now_ms);
      edits.clear();
      if (!out.ok()) return out.status();
      if (!out->rejected.empty()) return Status::InvalidArgument(out->rejected.front().reason);
      return txn.Commit();
    };
    const auto add = [&](const std::string& id, const std::string& form, const std::string& area,
                         const std::vector<std::pair<std::string, std::string>>& fields) {
      ReportRecord r;
      r.id = id;
      r.form = form;
      r.area = area;
      r.created_ms = made_2025;
      for (const auto& [f, v] : std::vector<std::pair<std::string, std::string>>{
               {"_status", "active"}, {"_form", form}, {"_version", std::to_string(version[form])}, {"_area", area}}) {
        edits.push_back(edit(id, f, v, made_2025));
      }
      for (const auto& [f, v] : fields) {
        edits.push_back(edit(id, f, v, made_2025));
        r.answers[f] = v;
      }
      in_memory.push_back(std::move(r));
    };
    for (size_t i = 0; i < province.profiles.size(); ++i) {
      const DuplicateProfile& p = province.profiles[i];
      std::vector<std::pair<std::string, std::string>> fields = {
          {"full_name", p.full_name}, {"sex", p.sex}, {"dob", p.birth_date},
          {"ethnicity", kEthnicities[i % kEthnicities.size()]}, {"birth_registered", "yes"}, {"village", "Thôn 1"},
          {"household_poverty", i % 7 == 0 ? "poor" : "neither"}};
      if (i % 40 == 0) fields.emplace_back("special_circumstances", i % 80 == 0 ? "a" : "dd");
      add(Uuid('a', i), "child_profile", p.area, fields);
      if (i % 20 == 0) {
        add(Uuid('c', i), "abuse_case", p.area,
            {{"report_datetime", "2025-0" + std::to_string(1 + i % 9) + "-15T09:00"}, {"reporter_type", "neighbour"},
             {"report_channel", i % 3 == 0 ? "hotline_111" : "phone"}, {"child_record_id", Uuid('a', i)},
             {"child_name", p.full_name}, {"case_status", "open"}});
        ++cases;
      }
      if (edits.size() >= 5000) {
        Status f = flush();
        if (!f.ok()) return Fail("push", f);
      }
    }
    Status f = flush();
    if (!f.ok()) return Fail("push", f);
    // In 2026: one case in ten closed (the 2025 report must not see it).
    const int64_t made_2026 = *ParseIsoDate("2026-02-01") * 86400000;
    for (size_t i = 0; i < province.profiles.size(); i += 200) {
      edits.push_back(edit(Uuid('c', i), "case_status", "closed", made_2026));
      edits.push_back(edit(Uuid('c', i), "closed_date", "2026-02-01", made_2026));
      ++edited_after;
    }
    f = flush();
    if (!f.ok()) return Fail("push 2026", f);
  }
  const double load_seconds = Seconds(load_start);

  auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  if (!store.ok()) return Fail("open", store.status());
  auto forms = FormCatalog::Load(**store);
  if (!forms.ok()) return Fail("forms", forms.status());
  auto areas = AreaTree::Build(*(*store)->LoadAreas());
  if (!areas.ok()) return Fail("areas", areas.status());

  // 1. The engine alone.
  const ReportPeriod year{ParseIsoDate("2025-01-01"), ParseIsoDate("2025-12-31")};
  CheckEnv check;
  check.now_ms = env.LocalNowMs();
  check.today_days = static_cast<double>(env.TodayDays());
  const std::vector<ReportUnit> units = ReportUnitsUnder(*areas, "38");
  const auto report_start = std::chrono::steady_clock::now();
  const YearReport report = ComputeYearReport(forms->Latest(), in_memory, units, year, check);
  const double report_seconds = Seconds(report_start);
  int64_t total = -1, reported = -1;
  for (const YearReportRow& r : report.rows) {
    if (r.indicator->name == "children_total") total = r.by_unit.at("38").count;
    if (r.indicator->name == "cases_reported") reported = r.by_unit.at("38").count;
  }
  // The store's records as of the year's end, as the CLI reads them.
  const auto asof_start = std::chrono::steady_clock::now();
  auto as_of = ReportRecordsAsOf(**store, *forms, areas->CommunesUnder("38"), year, env);
  const double asof_seconds = Seconds(asof_start);
  if (!as_of.ok()) return Fail("as of", as_of.status());
  store->reset();

  // 2. The page.
  auto app_store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  if (!app_store.ok()) return Fail("open", app_store.status());
  auto app = App::Create(std::move(app_store).value(), &env, nullptr);
  if (!app.ok()) return Fail("app", app.status());
  const auto cookie = bench::SignIn(**app, "tinh", kPassword);
  if (!cookie) return Fail("sign-in", Status::FailedPrecondition("no session"));
  HttpRequest page = bench::PageRequest("/reports", *cookie);
  page.query.emplace("year", "2025");
  size_t bytes = 0;
  int status = 0;
  const auto view = [&] {
    const auto start = std::chrono::steady_clock::now();
    HttpResponse r = (*app)->Handle(page);
    const double took = Seconds(start);
    bytes = r.body.size();
    status = r.status;
    return took;
  };
  const double first = view();
  const double again = view();
  // A worker's sync lands one change in one commune: the page computes again.
  {
    auto writer = ServerStore::Open(db, ServerStore::Mode::kOpen);
    if (!writer.ok()) return Fail("open", writer.status());
    const Principal who{"bench-device-2", "tinh", Role::kDistrict, "38"};
    const int64_t at = *ParseIsoDate("2026-02-02") * 86400000;
    const std::vector<Edit> one = {Edit{Dot{"bench-device-2", 1}, Uuid('c', 20), "case_status", "closed",
                                        Hlc{at, 0, "bench-device-2"}, {}, "tinh"}};
    ServerStore::Transaction txn(**writer);
    auto out = ApplyPush(**writer, *areas, *forms, who, one, env.now_ms);
    if (!out.ok()) return Fail("push one", out.status());
    Status c = txn.Commit();
    if (!c.ok()) return Fail("push one", c);
  }
  const double changed = view();
  const double cached_again = view();

  std::printf("year_report_bench: %d children (%zu profiles) and %zu abuse cases over %zu communes in %zu districts "
              "(loaded in %.1f s); %zu cases edited after the year\n",
              children, province.profiles.size(), cases, communes.size(), districts.size(), load_seconds, edited_after);
  std::printf("  ComputeYearReport 2025  %6.3f s (%zu units, %zu rows; children on the register %lld, cases %lld; "
              "target < %.1f s, ratio %.3f)\n",
              report_seconds, report.units.size(), report.rows.size(), static_cast<long long>(total),
              static_cast<long long>(reported), kReportTarget, report_seconds / kReportTarget);
  std::printf("  ReportRecordsAsOf       %6.3f s (%zu records read from the store and replayed)\n", asof_seconds,
              as_of->size());
  std::printf("  GET /reports first      %6.3f s (status %d, %zu bytes; the record index decodes every record)\n",
              first, status, bytes);
  std::printf("  GET /reports again      %6.3f s (target < %.1f s, ratio %.3f; the figures kept)\n", again,
              kPageTarget, again / kPageTarget);
  std::printf("  GET /reports changed    %6.3f s (after one record changed: the figures computed again)\n", changed);
  std::printf("  GET /reports again      %6.3f s (kept again)\n", cached_again);
  std::printf("{\"bench\":\"year_report\",\"children\":%d,\"cases\":%zu,\"report_seconds\":%.3f,\"as_of_seconds\":%.3f,"
              "\"page_first_seconds\":%.3f,\"page_seconds\":%.3f,\"page_changed_seconds\":%.3f,\"report_target\":%.1f,"
              "\"page_target\":%.1f}\n",
              children, cases, report_seconds, asof_seconds, first, again, changed, kReportTarget, kPageTarget);
  std::filesystem::remove_all(dir);
  return 0;
}
