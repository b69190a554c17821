// `sotay list`, `show` and `history`: reading saved records (record_output.h says
// how what came from data is printed).
#include <algorithm>
#include <iostream>
#include <map>

#include "record_output.h"
#include "sotay/presentation.h"

namespace sotay::shell {

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

int CmdHistory(Context& ctx) {
  Opened o = OpenRecord(ctx, "Cách dùng: sotay history MÃ", "Usage: sotay history ID");
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status());
  auto edits = o.nb->History(o.id);
  if (!edits.ok()) return Fail(ctx, edits.status());
  auto found = o.nb->FindForm(v->form, v->version);
  const Form* form = found.ok() ? *found : nullptr;
  for (const HistoryLine& line : DescribeHistory(form, *edits, ctx.lang)) {
    const Edit& e = *line.edit;
    const ChangeText& t = line.change;
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

}  // namespace sotay::shell
