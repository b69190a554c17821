// `sotay conflicts` and `resolve`: the fields where devices disagree, the values a
// person may choose between, and the choice saved as an edit of its own.
#include <algorithm>
#include <iostream>
#include <optional>

#include "record_output.h"
#include "sotay/edit_rules.h"
#include "sotay/presentation.h"

namespace sotay::shell {

namespace {

// "by w-17, device d-3f2a, 2025-06-01 09:30"
std::string By(const Context& ctx, const Head& h) {
  return Tr(ctx, "người sửa ", "by ") + Safe(h.author) + ", " + Tr(ctx, "thiết bị ", "device ") +
         Safe(std::string(h.dot.device.view())) + ", " + FormatTime(h.hlc.ms);
}

using Candidate = ConflictChoice;

}  // namespace

// The choices for a conflict on `field`, numbered from 1 as `sotay conflicts` shows
// them and `sotay resolve ID FIELD N` takes them: the competing values, newest first;
// for the record's status always 1) void, 2) active, whoever holds them (a void that
// missed changes may be the only head: keeping the record is the other choice).
std::vector<ConflictChoice> ConflictChoices(const RecordState& state, const std::string& field) {
  std::vector<Candidate> out;
  const FieldState* fs = state.Field(field);
  if (field == kStatusField) {
    out.push_back({kStatusVoid, {}});
    out.push_back({kStatusActive, {}});
    if (fs != nullptr) {
      for (const Head& h : fs->heads) out[h.value == kStatusVoid ? 0 : 1].by.push_back(&h);
    }
    return out;
  }
  if (fs == nullptr) return out;
  for (auto it = fs->heads.rbegin(); it != fs->heads.rend(); ++it) out.push_back({it->value, {&*it}});
  return out;
}

void PrintConflict(const Context& ctx, const Form* form, const RecordView& v, const std::string& field) {
  std::cout << "  ⚠ " << Label(form, field, ctx) << " [" << Safe(field) << "]\n";
  const std::vector<Candidate> candidates = ConflictChoices(v.state, field);
  for (size_t n = 0; n < candidates.size(); ++n) {
    const Candidate& c = candidates[n];
    std::cout << "      " << n + 1 << ") " << Shown(form, field, c.value, ctx);
    if (field == kStatusField) std::cout << " [" << c.value << "]";
    for (size_t i = 0; i < c.by.size(); ++i) std::cout << (i == 0 ? "   — " : "; ") << By(ctx, *c.by[i]);
    std::cout << "\n";
  }
  if (field == kStatusField) {
    const auto missed = v.state.UnseenByVoid();
    if (!missed.empty()) {
      std::cout << "      " << Tr(ctx, "Thay đổi người hủy chưa thấy:", "Changes the void had not seen:") << "\n";
      for (const auto& [name, head] : missed) {
        std::cout << "        " << Label(form, name, ctx) << ": " << Shown(form, name, head->value, ctx)
                  << "   — " << By(ctx, *head) << "\n";
      }
    }
    std::cout << "      " << Tr(ctx, "Để chọn: sotay resolve ", "To decide: sotay resolve ") << ShortId(v.id) << " "
              << kStatusField << " " << kStatusVoid << "|" << kStatusActive << "\n";
  } else {
    std::cout << "      " << Tr(ctx, "Để chọn: sotay resolve ", "To decide: sotay resolve ") << ShortId(v.id) << " "
              << Safe(field) << Tr(ctx, " SỐ|GIÁ_TRỊ_MỚI", " N|NEW_VALUE") << "\n";
  }
}

int CmdConflicts(Context& ctx) {
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  ListFilter all;
  all.include_void = true;
  auto rows = nb->List(all, ctx.lang);
  if (!rows.ok()) return Fail(ctx, rows.status());
  int count = 0;
  for (const RecordSummary& r : *rows) {
    if (!r.status.ok() || !r.in_conflict) continue;
    auto v = nb->Get(r.id);
    if (!v.ok()) continue;
    auto found = nb->FindForm(v->form, v->version);
    const Form* form = found.ok() ? *found : nullptr;
    std::cout << ShortId(r.id) << "  " << Safe(r.form) << "  " << Safe(r.name) << "\n";
    for (const std::string& f : v->state.Conflicts()) PrintConflict(ctx, form, *v, f);
    ++count;
  }
  if (count == 0) std::cout << Tr(ctx, "Không có xung đột.\n", "No conflicts.\n");
  return kOk;
}

int CmdResolve(Context& ctx) {
  static const char* kUsageVi = "Cách dùng: sotay resolve MÃ TRƯỜNG [SỐ | GIÁ_TRỊ | --value GIÁ_TRỊ]";
  static const char* kUsageEn = "Usage: sotay resolve ID FIELD [N | VALUE | --value VALUE]";
  std::vector<std::string> words;
  std::optional<std::string> typed;  // --value: a new value, even one that looks like a number
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--value" && i + 1 < ctx.args.size()) typed = ctx.args[++i];
    else words.push_back(ctx.args[i]);
  }
  if (words.size() < 2 || words.size() > 3 || (typed && words.size() == 3)) {
    std::cerr << Tr(ctx, kUsageVi, kUsageEn) << "\n";
    return kUsage;
  }
  ctx.args = words;
  Opened o = OpenRecord(ctx, kUsageVi, kUsageEn);
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status());
  const std::string& field = words[1];
  const std::vector<std::string> open = v->state.Conflicts();
  if (std::find(open.begin(), open.end(), field) == open.end()) {
    return Fail(ctx, Status::FailedPrecondition("field '" + Safe(field) + "' of record " + o.id +
                                                " is not in conflict (sotay conflicts lists those that are)"));
  }
  auto found = o.nb->FindForm(v->form, v->version);
  const Form* form = found.ok() ? *found : nullptr;
  const std::vector<Candidate> candidates = ConflictChoices(v->state, field);
  std::string answer;
  if (typed) {
    answer = *typed;
  } else if (words.size() == 3) {
    answer = words[2];
  } else {
    PrintConflict(ctx, form, *v, field);
    if (!StdinIsTerminal()) {
      std::cerr << Tr(ctx, "Hãy ghi số của giá trị chọn, hoặc giá trị mới: ", "Give the number of the value to keep, or a new value: ")
                << "sotay resolve " << ShortId(o.id) << " " << Safe(field) << Tr(ctx, " SỐ|GIÁ_TRỊ", " N|VALUE") << "\n";
      return kUsage;
    }
    std::cout << Tr(ctx, "Chọn số (hoặc gõ giá trị mới; Enter để thôi): ",
                    "Choose a number (or type a new value; Enter to leave it): ") << std::flush;
    if (!ReadLine(answer) || Trim(answer).empty()) {
      std::cout << Tr(ctx, "Không thay đổi gì.\n", "Nothing changed.\n");
      return kOk;
    }
  }
  std::string value;
  const std::string trimmed = Trim(answer);
  const bool number = !typed && !trimmed.empty() && trimmed.size() <= 3 &&
                      trimmed.find_first_not_of("0123456789") == std::string::npos;
  const size_t n = number ? std::stoul(trimmed) : 0;
  if (number && n >= 1 && n <= candidates.size()) {
    value = candidates[n - 1].value;
  } else if (field == kStatusField) {
    if (trimmed != kStatusVoid && trimmed != kStatusActive) {
      std::cerr << "sotay resolve: " << Tr(ctx, "trạng thái là 1 (void, hủy) hoặc 2 (active, giữ hồ sơ)\n",
                                           "the status is 1 (void) or 2 (active, keep the record)\n");
      return kUsage;
    }
    value = trimmed;
  } else if (IsReservedField(field) || form == nullptr || form->FindField(field) == nullptr) {
    std::cerr << "sotay resolve: " << Tr(ctx, "hãy chọn số từ 1 đến ", "choose a number from 1 to ")
              << candidates.size() << "\n";
    return kUsage;
  } else {
    value = TypedValue(*form, *form->FindField(field), answer);
  }
  auto saved = o.nb->Resolve(o.id, field, value, ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintNotSaved(ctx, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã giải quyết xung đột: ", "Conflict settled: ") << Label(form, field, ctx) << " = "
            << Shown(form, field, value, ctx)
            << Tr(ctx, ". Các thiết bị khác nhận khi đồng bộ.\n", ". Other devices receive it when they sync.\n");
  return kOk;
}

}  // namespace sotay::shell
