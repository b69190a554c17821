// `sotay list`, `show`, `edit ID field=value`, `void`, `restore`, `history`,
// `conflicts`: reading and changing saved records.
#include <iomanip>
#include <iostream>
#include <map>

#include "shell.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

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

std::string FieldLabel(const Form* form, const std::string& field, const std::string& lang) {
  if (field == kStatusField) return lang == "en" ? "record status" : "trạng thái hồ sơ";
  const Field* f = form != nullptr ? form->FindField(field) : nullptr;
  return f != nullptr && !f->label.empty() ? f->label.Get(lang) : field;
}

std::string Shown(const Form* form, const std::string& field, const std::string& value,
                  const Context& ctx) {
  if (value.empty()) return Tr(ctx, "(trống)", "(empty)");
  if (field == kStatusField) {
    return value == kStatusVoid ? Tr(ctx, "đã hủy", "void") : Tr(ctx, "đang dùng", "active");
  }
  const Field* f = form != nullptr ? form->FindField(field) : nullptr;
  return f != nullptr ? DisplayValue(*form, *f, value, ctx.lang) : value;
}

void PrintConflict(const Context& ctx, const Form* form, const RecordView& v, const std::string& field) {
  std::cout << "  ⚠ " << FieldLabel(form, field, ctx.lang) << " [" << field << "]\n";
  const FieldState* fs = v.state.Field(field);
  if (fs == nullptr) return;
  int n = 1;
  for (auto it = fs->heads.rbegin(); it != fs->heads.rend(); ++it, ++n) {
    std::cout << "      " << n << ") " << Shown(form, field, it->value, ctx) << "   — "
              << Tr(ctx, "người sửa ", "by ") << it->author << ", " << Tr(ctx, "thiết bị ", "device ")
              << it->dot.device << ", " << FormatTime(it->hlc.ms) << "\n";
  }
  if (field == kStatusField) {
    std::cout << "      " << Tr(ctx, "Hồ sơ bị hủy trong khi có người khác đang sửa. Chọn: sotay restore ",
                                "Voided while someone else was editing it. Choose: sotay restore ")
              << ShortId(v.id) << Tr(ctx, " hoặc sotay void ", " or sotay void ") << ShortId(v.id) << "\n";
  } else {
    std::cout << "      " << Tr(ctx, "Để chọn: sotay edit ", "To decide: sotay edit ") << ShortId(v.id) << " "
              << field << "=..." << "\n";
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
    std::cout << ShortId(r.id) << "  " << Pad(r.form, 16) << " ";
    if (!r.status.ok()) {
      ++damaged;
      std::cout << Tr(ctx, "⚠ KHÔNG ĐỌC ĐƯỢC: bị sửa đổi hoặc hỏng", "⚠ UNREADABLE: tampered or damaged") << "\n";
      continue;
    }
    std::cout << Pad(r.name, 40) << " " << FormatTime(r.updated_ms);
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
  std::cout << (form ? form->title.Get(ctx.lang) : v->form) << " — " << v->id << "\n";
  std::cout << Tr(ctx, "Trạng thái: ", "Status: ")
            << (v->is_void() ? Tr(ctx, "đã hủy", "void") : Tr(ctx, "đang dùng", "active"))
            << "   " << Tr(ctx, "Mã xã: ", "Commune: ") << (v->area.empty() ? "-" : v->area)
            << "   " << Tr(ctx, "Cập nhật: ", "Updated: ") << FormatTime(v->updated_ms) << "\n";
  if (!v->parent.empty()) std::cout << Tr(ctx, "Thuộc hồ sơ: ", "Part of record: ") << v->parent << "\n";
  std::vector<std::string> lastGroups;
  if (form != nullptr) {
    for (const Field& f : form->fields) {
      auto it = v->shown.find(f.name);
      if (it == v->shown.end()) continue;
      if (f.groups != lastGroups && !f.groups.empty()) {
        auto g = form->groups.find(f.groups.back());
        if (g != form->groups.end()) std::cout << "== " << g->second.label.Get(ctx.lang) << " ==\n";
      }
      lastGroups = f.groups;
      std::string value = Shown(form, f.name, it->second, ctx);
      std::cout << "  " << FieldLabel(form, f.name, ctx.lang) << ": " << value << "\n";
    }
  }
  std::vector<std::string> conflicts = v->state.Conflicts();
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
    const Field* f = (*found)->FindField(name);
    if (f == nullptr) continue;
    value = Canonical(*f, value);
    if (f->type != FieldType::kSelectOne || (*found)->FindChoice(f->list, value) != nullptr) continue;
    for (const Choice& c : *(*found)->FindList(f->list)) {
      if (FoldForSearch(c.label.Get(ctx.lang)) == FoldForSearch(value)) value = c.name;
    }
  }
  auto saved = o.nb->EditRecord(o.id, changes, ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    std::cerr << Tr(ctx, "Chưa lưu thay đổi:\n", "Nothing was saved:\n");
    for (const FieldIssue& i : saved->issues) {
      std::cerr << "  " << Tr(ctx, "trường ", "field ") << "'" << i.field << "': " << i.message << "\n";
    }
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
    if (e.field == kFormField || e.field == kVersionField || e.field == kAreaField || e.field == kParentField) {
      continue;
    }
    std::string from;
    for (const Dot& d : e.base) {
      auto it = by_dot.find(d);
      if (it == by_dot.end() || it->second->field != e.field) continue;
      from += (from.empty() ? "" : " | ") + Shown(form, e.field, it->second->value, ctx);
    }
    if (from.empty()) from = Tr(ctx, "(trống)", "(empty)");
    std::cout << FormatTime(e.hlc.ms) << "  " << Pad(e.author.empty() ? "-" : e.author, 10) << " "
              << Tr(ctx, "thiết bị ", "device ") << e.dot.device << "  " << FieldLabel(form, e.field, ctx.lang)
              << ": " << from << " → " << Shown(form, e.field, e.value, ctx);
    if (e.base.size() > 1 && e.field != kStatusField) std::cout << Tr(ctx, "  (giải quyết xung đột)", "  (resolves a conflict)");
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
    std::cout << ShortId(r.id) << "  " << r.form << "  " << r.name << "\n";
    for (const std::string& f : v->state.Conflicts()) PrintConflict(ctx, form, *v, f);
    ++count;
  }
  if (count == 0) std::cout << Tr(ctx, "Không có xung đột.\n", "No conflicts.\n");
  return kOk;
}

}  // namespace sotay::shell
