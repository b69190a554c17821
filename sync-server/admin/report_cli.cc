#include "admin/report_cli.h"

#include <cstdlib>
#include <fstream>
#include <map>

#include "admin/year_report_file.h"
#include "sotay/expr.h"

namespace sotay::server {

namespace {

void Usage(std::ostream& out) {
  out << "usage: sotay-server report --db FILE --area CODE (--year YYYY | --from YYYY-MM-DD --to YYYY-MM-DD)\n"
         "                           --out FILE.xlsx|FILE.csv [--lang vi|en] [--semicolon]\n"
         "  the yearly report of the area's communes, figures as they stood at the period's end;\n"
         "  XLSX: the report as printed, by unit, breakdowns, every figure, definitions, audit head;\n"
         "  CSV: every figure as one table (--semicolon for Excel in a Vietnamese regional setting)\n";
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

int RunReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Env* env) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "help")) {
    Usage(out);
    return 0;
  }
  std::map<std::string, std::string> opts;
  bool semicolon = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& w = args[i];
    if (w == "--semicolon") {
      semicolon = true;
      continue;
    }
    static const char* kKnown[] = {"--db", "--area", "--year", "--from", "--to", "--out", "--lang"};
    bool known = false;
    for (const char* k : kKnown) known = known || w == k;
    if (!known) {
      err << "sotay-server: report: unknown option " << w << "\n";
      Usage(err);
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "sotay-server: report: " << w << " needs a value\n";
      return 2;
    }
    opts[w] = args[++i];
  }
  for (const char* required : {"--db", "--area", "--out"}) {
    if (opts.count(required) == 0) {
      err << "sotay-server: report: " << required << " is required\n";
      Usage(err);
      return 2;
    }
  }
  YearReportRequest request;
  request.area = opts["--area"];
  request.semicolon = semicolon;
  request.lang = opts.count("--lang") ? opts["--lang"] : "vi";
  if (request.lang != "vi" && request.lang != "en") {
    err << "sotay-server: report: --lang takes vi or en\n";
    return 2;
  }
  const std::string out_path = opts["--out"];
  if (EndsWith(out_path, ".csv")) {
    request.csv = true;
  } else if (!EndsWith(out_path, ".xlsx")) {
    err << "sotay-server: report: --out must end in .xlsx or .csv (it names the format)\n";
    return 2;
  }
  if (opts.count("--year") != 0) {
    const std::string& y = opts["--year"];
    auto from = ParseIsoDate(y + "-01-01");
    auto to = ParseIsoDate(y + "-12-31");
    if (y.size() != 4 || !from || !to || opts.count("--from") || opts.count("--to")) {
      err << "sotay-server: report: --year takes four digits, e.g. 2025, and goes without --from/--to\n";
      return 2;
    }
    request.period.from_day = *from;
    request.period.to_day = *to;
  } else if (opts.count("--from") != 0 && opts.count("--to") != 0) {
    auto from = ParseIsoDate(opts["--from"]);
    auto to = ParseIsoDate(opts["--to"]);
    if (!from || !to || *from > *to) {
      err << "sotay-server: report: --from and --to are dates YYYY-MM-DD, the first not after the second\n";
      return 2;
    }
    request.period.from_day = *from;
    request.period.to_day = *to;
  } else {
    err << "sotay-server: report: give --year, or both --from and --to\n";
    return 2;
  }
  const char* who = std::getenv("SUDO_USER");
  if (who == nullptr || *who == '\0') who = std::getenv("USER");
  request.actor = std::string("admin-cli:") + (who != nullptr ? who : "?");

  auto store = ServerStore::Open(opts["--db"], ServerStore::Mode::kOpen);
  if (!store.ok()) {
    err << "sotay-server: " << store.status().message() << "\n";
    return store.status().code() == Status::Code::kNotFound ? 5 : 1;
  }
  auto rows = (*store)->LoadAreas();
  if (!rows.ok()) {
    err << "sotay-server: " << rows.status().message() << "\n";
    return 1;
  }
  auto areas = AreaTree::Build(std::move(rows).value());
  auto forms = FormCatalog::Load(**store);
  if (!areas.ok() || !forms.ok()) {
    err << "sotay-server: the database's " << (areas.ok() ? "forms" : "areas") << " do not load: "
        << (areas.ok() ? forms.status() : areas.status()).message() << "\n";
    return 1;
  }
  auto file = MakeYearReportFile(**store, *areas, *forms, *env, request);
  if (!file.ok()) {
    err << "sotay-server: report: " << file.status().message() << "\n";
    return file.status().code() == Status::Code::kNotFound ? 5 : 1;
  }
  std::ofstream f(out_path, std::ios::binary | std::ios::trunc);
  Status copied = file->file->CopyTo([&](std::string_view bytes) {
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(f);
  });
  f.close();
  if (!copied.ok() || !f) {
    err << "sotay-server: report: could not write " << out_path << "\n";
    return 1;
  }
  out << "wrote " << out_path << ": " << file->indicators << " indicators, " << file->units << " units, "
      << file->records << " records; audit head " << file->audit_head << "\n";
  return 0;
}

}  // namespace sotay::server
