// `sotay report` (the form pack's indicators over this device's records) and
// `sotay import` (the lists communes keep in Excel; a child already in the notebook, or
// twice in the file, is named and left out unless --allow-duplicates).
#include <cmath>
#include <cstdio>
#include <iostream>

#include "shell.h"
#include "sotay/import.h"
#include "sotay/read_file.h"
#include "sotay/indicators.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

std::string FormatValue(const Context& ctx, const IndicatorValue& v) { return FormatIndicatorValue(v, ctx.lang); }

bool ParseDay(const std::string& s, std::optional<int64_t>& out) {
  auto d = ParseIsoDate(s);
  if (!d || s.size() != 10) return false;
  out = *d;
  return true;
}

}  // namespace

int CmdReport(Context& ctx) {
  ReportPeriod period;
  std::string only_form;
  bool explain = false;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--form" && i + 1 < ctx.args.size()) only_form = ctx.args[++i];
    else if (a == "--explain") explain = true;
    else if (a == "--from" && i + 1 < ctx.args.size() && ParseDay(ctx.args[i + 1], period.from_day)) ++i;
    else if (a == "--to" && i + 1 < ctx.args.size() && ParseDay(ctx.args[i + 1], period.to_day)) ++i;
    else if (a == "--year" && i + 1 < ctx.args.size()) {
      const std::string y = ctx.args[++i];
      if (!ParseDay(y + "-01-01", period.from_day) || !ParseDay(y + "-12-31", period.to_day)) {
        std::cerr << "sotay report: --year " << Tr(ctx, "cần một năm, ví dụ 2025\n", "takes a year, e.g. 2025\n");
        return kUsage;
      }
    } else {
      std::cerr << "sotay report: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "' "
                << Tr(ctx, "(ngày theo dạng NNNN-TT-NN)\n", "(dates as YYYY-MM-DD)\n");
      return kUsage;
    }
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  const CheckEnv env = nb->MakeEnv(ctx.lang);
  std::cout << Tr(ctx, "Báo cáo chỉ số trên hồ sơ của thiết bị này", "Indicators over this device's records");
  std::cout << " (" << (period.from_day ? FormatIsoDate(*period.from_day) : "…") << " – "
            << (period.to_day ? FormatIsoDate(*period.to_day) : Tr(ctx, "nay", "now")) << ")\n";
  bool any = false;
  for (const FormInfo& info : nb->Forms()) {
    if (!only_form.empty() && info.id != only_form) continue;
    auto form = nb->FindForm(info.id);
    if (!form.ok() || (*form)->indicators.empty()) continue;
    auto records = nb->ReportRecords(info.id);
    if (!records.ok()) return Fail(ctx, records.status());
    std::vector<IndicatorResult> results = ComputeIndicators(**form, *records, period, env);
    any = true;
    std::cout << "\n== " << info.title.Get(ctx.lang) << " (" << info.id << ") ==\n";
    for (const IndicatorResult& r : results) {
      std::cout << "  " << r.indicator->label.Get(ctx.lang) << ": " << FormatValue(ctx, r.total) << "\n";
      if (explain) std::cout << "      (" << r.indicator->definition.Get(ctx.lang) << ")\n";
      if (r.by_area.size() > 1) {
        for (const auto& [area, value] : r.by_area) {
          std::cout << "      " << Tr(ctx, "xã ", "commune ") << (area.empty() ? "?" : EscapeForTerminal(area)) << ": "
                    << FormatValue(ctx, value) << "\n";
        }
      }
    }
  }
  if (!any) std::cout << Tr(ctx, "Không có biểu mẫu nào khai báo chỉ số.\n", "No form declares indicators.\n");
  return kOk;
}

int CmdImport(Context& ctx) {
  std::vector<std::string> positional;
  std::string commune;  // every row's commune: a district officer imports one commune's list at a time
  bool allow_duplicates = false;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--commune" && i + 1 < ctx.args.size()) commune = ctx.args[++i];
    else if (ctx.args[i] == "--allow-duplicates") allow_duplicates = true;
    else positional.push_back(ctx.args[i]);
  }
  if (positional.size() != 2) {
    std::cerr << Tr(ctx, "Cách dùng: sotay import BIỂU_MẪU TỆP.csv|TỆP.jsonl [--commune MÃ_XÃ] [--allow-duplicates]\n",
                    "Usage: sotay import FORM FILE.csv|FILE.jsonl [--commune CODE] [--allow-duplicates]\n");
    return kUsage;
  }
  const std::string& form_id = positional[0];
  const std::string& path = positional[1];
  auto read = ReadWholeFile(path);
  if (!read.ok()) return Fail(ctx, read.status());
  const std::string text = std::move(read).value();
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto form = nb->FindForm(form_id);
  if (!form.ok()) return Fail(ctx, form.status());
  commune = ChooseCommune(ctx, *nb, commune, /*may_ask=*/false, code);
  if (code != kOk) return code;
  const CheckEnv env = nb->MakeEnv(ctx.lang);
  const bool jsonl = path.size() > 6 && (path.substr(path.size() - 6) == ".jsonl" || path.substr(path.size() - 7) == ".ndjson");
  auto plan = jsonl ? PlanJsonLinesImport(**form, text, env) : PlanCsvImport(**form, text, env);
  if (!plan.ok()) return Fail(ctx, plan.status().Annotate(path));
  auto existing = nb->IdentityFacts(form_id);
  if (!existing.ok()) return Fail(ctx, existing.status().Annotate("look for the same children in the notebook"));
  MarkDuplicateRows(**form, *existing, *plan);
  std::vector<Answers> good;
  size_t bad = 0;
  for (const ImportRow& row : *plan) {
    if (row.issues.empty() && row.duplicate) {
      // Named by record id or line only: the other child's answers stay unprinted.
      const ImportDuplicate& d = *row.duplicate;
      std::cerr << path << ":" << row.line << ": "
                << (d.record_id.empty() ? Tr(ctx, "giống dòng ", "resembles line ") + std::to_string(d.line)
                                        : Tr(ctx, "giống hồ sơ ", "resembles record ") + d.record_id)
                << " (" << DuplicateReasonLabel(d.reason, ctx.lang) << ")"
                << (allow_duplicates ? Tr(ctx, "; vẫn nhập (--allow-duplicates)", "; imported anyway (--allow-duplicates)")
                                     : Tr(ctx, "; không nhập (thêm --allow-duplicates để vẫn nhập)",
                                          "; not imported (add --allow-duplicates to import it anyway)"))
                << "\n";
      if (!allow_duplicates) {
        ++bad;
        continue;
      }
    }
    if (row.issues.empty()) {
      good.push_back(row.answers);
      continue;
    }
    ++bad;
    for (const FieldIssue& issue : row.issues) {
      const Field* f = (*form)->FindField(issue.field);
      std::cerr << path << ":" << row.line << ": " << Tr(ctx, "trường ", "field ") << "'" << issue.field << "'";
      if (f != nullptr && !f->label.empty()) std::cerr << " (" << f->label.Get(ctx.lang) << ")";
      std::cerr << ": " << issue.message << "\n";
    }
  }
  const bool bar = StdinIsTerminal();
  auto progress = [&](size_t done, size_t total) {
    if (!bar || total == 0) return;
    const size_t width = 30, filled = width * done / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done << "/"
              << total << std::flush;
    if (done == total) std::cerr << "\n";
  };
  auto saved = nb->CreateRecords(form_id, good, ctx.lang, progress, commune);
  if (!saved.ok()) return Fail(ctx, saved.status());
  std::cout << Tr(ctx, "Đã nhập ", "Imported ") << good.size() << Tr(ctx, " hồ sơ; ", " records; ") << bad
            << Tr(ctx, " dòng bị từ chối (xem ở trên).\n", " rows refused (see above).\n");
  return bad == 0 ? kOk : kInvalid;
}

}  // namespace sotay::shell
