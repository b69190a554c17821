// `sotay list`, `show`, `edit ID field=value`, `void`, `restore`, `history`,
// `conflicts`, `resolve`: reading and changing saved records.
//
// Whatever came from data (answers, names, authors, device ids, labels) is printed
// through Safe(): a control character or a bidi override stored before the core
// refused them is shown as \u001b, never run by the terminal.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "shell.h"
#include "sotay/edit_rules.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

std::string Safe(const std::string& s) { return EscapeForTerminal(s); }

// Pads by characters, not bytes, so Vietnamese columns line up.
std::string Pad(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

struct Opened {
  std::unique_ptr<Notebook> nb;
  std::string id;
  int code = kOk;
};

// Opens the notebook and resolves the record id given as the first argument.
Opened OpenRecord(Context& ctx, const char* usage_vi, const char* usage_en) {
  Opened o;
  if (ctx.args.empty()) {
    std::cerr << Tr(ctx, usage_vi, usage_en) << "\n";
    o.code = kUsage;
    return o;
  }
  o.nb = OpenNotebook(ctx, o.code);
  if (!o.nb) return o;
  auto id = o.nb->ResolveId(ctx.args[0]);
  if (!id.ok()) {
    o.code = Fail(ctx, id.status());
    o.nb.reset();
    return o;
  }
  o.id = *id;
  return o;
}

std::string Label(const Form* form, const std::string& field, const Context& ctx) {
  return Safe(FieldLabel(form, field, ctx.lang));
}

// What a person typed for `f`, as the form stores it: a choice's code or label
// ("Nữ", "nu") taken for its code, then tidied (Canonical).
std::string TypedValue(const Form& form, const Field& f, const std::string& typed) {
  return Canonical(f, AnswerFromCell(form, f, typed));
}

// A value as text for the terminal; an empty one says so, since a blank reads as a
// missing line.
std::string Shown(const Form* form, const std::string& field, const std::string& value, const Context& ctx) {
  if (value.empty()) return Tr(ctx, "(trống)", "(empty)");
  return Safe(ValueText(form, field, value, ctx.lang));
}

// "by w-17, device d-3f2a, 2025-06-01 09:30"
std::string By(const Context& ctx, const Head& h) {
  return Tr(ctx, "người sửa ", "by ") + Safe(h.author) + ", " + Tr(ctx, "thiết bị ", "device ") +
         Safe(std::string(h.dot.device.view())) + ", " + FormatTime(h.hlc.ms);
}

// One value a person may choose to settle a conflict.
struct Candidate {
  std::string value;
  std::vector<const Head*> by;  // the heads that hold it
};

// The choices for a conflict on `field`, numbered from 1 as `sotay conflicts` shows
// them and `sotay resolve ID FIELD N` takes them: the competing values, newest first;
// for the record's status always 1) void, 2) active, whoever holds them (a void that
// missed changes may be the only head: keeping the record is the other choice).
std::vector<Candidate> Candidates(const RecordState& state, const std::string& field) {
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
  const std::vector<Candidate> candidates = Candidates(v.state, field);
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


void PrintIssues(const Context& ctx, const std::vector<FieldIssue>& issues) {
  std::cerr << Tr(ctx, "Chưa lưu thay đổi:\n", "Nothing was saved:\n");
  for (const FieldIssue& i : issues) {
    std::cerr << "  " << Tr(ctx, "trường ", "field ") << "'" << Safe(i.field) << "': " << i.message << "\n";
  }
}

}  // namespace

int CmdList(Context& ctx) {
  ListFilter filter;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--form" && i + 1 < ctx.args.size()) filter.form = ctx.args[++i];
    else if (a == "--find" && i + 1 < ctx.args.size()) filter.query = ctx.args[++i];
    else if (a == "--all") filter.include_void = true;
    else {
      std::cerr << "sotay list: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "'\n";
      return kUsage;
    }
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto rows = nb->List(filter, ctx.lang);
  if (!rows.ok()) return Fail(ctx, rows.status());
  if (rows->empty()) {
    std::cout << Tr(ctx, "Không có hồ sơ nào.\n", "No records.\n");
    return kOk;
  }
  int damaged = 0;
  for (const RecordSummary& r : *rows) {
    std::cout << ShortId(r.id) << "  " << Pad(Safe(r.form), 16) << " ";
    if (!r.status.ok()) {
      ++damaged;
      std::cout << Tr(ctx, "⚠ KHÔNG ĐỌC ĐƯỢC: bị sửa đổi hoặc hỏng", "⚠ UNREADABLE: tampered or damaged") << "\n";
      continue;
    }
    std::cout << Pad(Safe(r.name), 40) << " " << FormatTime(r.updated_ms);
    if (r.is_void) std::cout << "  " << Tr(ctx, "[đã hủy]", "[void]");
    if (r.in_conflict) std::cout << "  ⚠ " << Tr(ctx, "xung đột", "conflict");
    std::cout << "\n";
  }
  if (damaged > 0) {
    std::cerr << "sotay: " << damaged
              << Tr(ctx, " hồ sơ không xác thực được (bị sửa đổi hoặc hỏng).\n",
                    " record(s) failed authentication (tampered or damaged).\n");
    return kTampered;
  }
  return kOk;
}

int CmdShow(Context& ctx) {
  Opened o = OpenRecord(ctx, "Cách dùng: sotay show MÃ", "Usage: sotay show ID");
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status().Annotate("record " + o.id));
  auto found = o.nb->FindForm(v->form, v->version);
  const Form* form = found.ok() ? *found : nullptr;
  std::vector<std::string> conflicts = v->state.Conflicts();
  const auto in_conflict = [&](const std::string& field) {
    return std::find(conflicts.begin(), conflicts.end(), field) != conflicts.end();
  };
  const char* conflict_mark = Tr(ctx, "  ⚠ xung đột", "  ⚠ in conflict");
  std::cout << Safe(FormTitle(form, v->form, ctx.lang)) << " — " << v->id << "\n";
  std::cout << Tr(ctx, "Trạng thái: ", "Status: ")
            << (v->is_void() ? Tr(ctx, "đã hủy", "void") : Tr(ctx, "đang dùng", "active"))
            << (in_conflict(kStatusField) ? conflict_mark : "")
            << "   " << Tr(ctx, "Mã xã: ", "Commune: ") << (v->area.empty() ? "-" : Safe(v->area))
            << "   " << Tr(ctx, "Cập nhật: ", "Updated: ") << FormatTime(v->updated_ms) << "\n";
  if (!v->parent.empty()) std::cout << Tr(ctx, "Thuộc hồ sơ: ", "Part of record: ") << Safe(v->parent) << "\n";
  std::vector<std::string> lastGroups;
  if (form != nullptr) {
    for (const Field& f : form->fields) {
      auto it = v->shown.find(f.name);
      if (it == v->shown.end()) continue;
      if (f.groups != lastGroups && !f.groups.empty()) {
        auto g = form->groups.find(f.groups.back());
        if (g != form->groups.end()) std::cout << "== " << Safe(g->second.label.Get(ctx.lang)) << " ==\n";
      }
      lastGroups = f.groups;
      std::string value = Shown(form, f.name, it->second, ctx);
      std::cout << "  " << Label(form, f.name, ctx) << ": " << value
                << (in_conflict(f.name) ? conflict_mark : "") << "\n";
    }
  }
  if (!conflicts.empty()) {
    std::cout << "\n" << Tr(ctx, "Giá trị xung đột (cần chọn):\n", "Conflicting values (to decide):\n");
    for (const std::string& c : conflicts) PrintConflict(ctx, form, *v, c);
  }
  auto children = o.nb->Children(o.id);
  if (children.ok() && !children->empty()) {
    std::cout << "\n" << Tr(ctx, "Mục con: ", "Entries: ");
    for (const std::string& c : *children) std::cout << ShortId(c) << " ";
    std::cout << "\n";
  }
  return kOk;
}

int CmdEdit(Context& ctx) {
  Opened o = OpenRecord(ctx, "Cách dùng: sotay edit MÃ [trường=giá_trị ...]", "Usage: sotay edit ID [field=value ...]");
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status());
  if (ctx.args.size() == 1) return EditInteractively(ctx, *o.nb, *v);
  Answers changes;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "sotay edit: " << Tr(ctx, "cần trường=giá_trị, không phải '", "expected field=value, not '")
                << a.substr(0, a.find('=')) << "'\n";
      return kUsage;
    }
    changes[a.substr(0, eq)] = a.substr(eq + 1);
  }
  auto found = o.nb->FindForm(v->form, v->version);
  if (!found.ok()) return Fail(ctx, found.status());
  // A person may type a choice's label ("Nữ", "nu") instead of its name.
  for (auto& [name, value] : changes) {
    if (const Field* f = (*found)->FindField(name)) value = TypedValue(**found, *f, value);
  }
  auto saved = o.nb->EditRecord(o.id, changes, ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintIssues(ctx, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã lưu ", "Saved ") << saved->edits << Tr(ctx, " thay đổi.\n", " changes.\n");
  return kOk;
}

int CmdVoid(Context& ctx, bool restore) {
  Opened o = restore ? OpenRecord(ctx, "Cách dùng: sotay restore MÃ", "Usage: sotay restore ID")
                     : OpenRecord(ctx, "Cách dùng: sotay void MÃ", "Usage: sotay void ID");
  if (!o.nb) return o.code;
  Status s = restore ? o.nb->Restore(o.id) : o.nb->Void(o.id);
  if (!s.ok()) return Fail(ctx, s);
  std::cout << (restore ? Tr(ctx, "Đã khôi phục hồ sơ ", "Restored record ")
                        : Tr(ctx, "Đã hủy hồ sơ ", "Voided record "))
            << o.id << "\n";
  return kOk;
}

int CmdHistory(Context& ctx) {
  Opened o = OpenRecord(ctx, "Cách dùng: sotay history MÃ", "Usage: sotay history ID");
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status());
  auto edits = o.nb->History(o.id);
  if (!edits.ok()) return Fail(ctx, edits.status());
  auto found = o.nb->FindForm(v->form, v->version);
  const Form* form = found.ok() ? *found : nullptr;
  std::map<Dot, const Edit*> by_dot;
  for (const Edit& e : *edits) by_dot[e.dot] = &e;
  for (const Edit& e : *edits) {
    std::vector<std::string> before;
    for (const Dot& d : e.base) {
      auto it = by_dot.find(d);
      if (it != by_dot.end() && it->second->field == e.field) before.push_back(it->second->value);
    }
    if (!ShownInHistory(e.field, !before.empty())) continue;
    const ChangeText t = DescribeChange(form, e.field, before, e.value, ctx.lang);
    const auto text = [&](const std::string& s) { return s.empty() ? std::string(Tr(ctx, "(trống)", "(empty)")) : Safe(s); };
    std::string from;
    for (const std::string& b : t.before) from += (from.empty() ? "" : " | ") + text(b);
    if (from.empty()) from = text("");
    std::cout << FormatTime(e.hlc.ms) << "  " << Pad(e.author.empty() ? "-" : Safe(e.author), 10) << " "
              << Tr(ctx, "thiết bị ", "device ") << Safe(std::string(e.dot.device.view())) << "  " << Safe(t.label)
              << ": " << from << " → " << text(t.after);
    if (t.settles_conflict()) std::cout << Tr(ctx, "  (giải quyết xung đột)", "  (resolves a conflict)");
    std::cout << "\n";
  }
  return kOk;
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
  const std::vector<Candidate> candidates = Candidates(v->state, field);
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
    PrintIssues(ctx, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã giải quyết xung đột: ", "Conflict settled: ") << Label(form, field, ctx) << " = "
            << Shown(form, field, value, ctx)
            << Tr(ctx, ". Các thiết bị khác nhận khi đồng bộ.\n", ". Other devices receive it when they sync.\n");
  return kOk;
}

}  // namespace sotay::shell
