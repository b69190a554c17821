// The record commands' shared pieces (record_output.h): opening the named record,
// and a record's values as the terminal shows them.
#include "record_output.h"

#include <iostream>

#include "sotay/presentation.h"

namespace sotay::shell {

std::string Pad(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

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

std::string TypedValue(const Form& form, const Field& f, const std::string& typed) {
  return Canonical(f, AnswerFromCell(form, f, typed));
}

std::string Shown(const Form* form, const std::string& field, const std::string& value, const Context& ctx) {
  if (value.empty()) return Tr(ctx, "(trống)", "(empty)");
  return Safe(ValueText(form, field, value, ctx.lang));
}

void PrintNotSaved(const Context& ctx, const std::vector<FieldIssue>& issues) {
  std::cerr << Tr(ctx, "Chưa lưu thay đổi:\n", "Nothing was saved:\n");
  for (const FieldIssue& i : issues) {
    std::cerr << "  " << Tr(ctx, "trường ", "field ") << "'" << Safe(i.field) << "': " << i.message << "\n";
  }
}

}  // namespace sotay::shell
