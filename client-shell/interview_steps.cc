// One question of an interview as the shell asks it (interview_steps.h).
#include "interview_steps.h"

#include <iostream>
#include <sstream>

#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay::shell {

void ShowField(const Context& ctx, const Interview& iv, const Field& f, int number) {
  const Form& form = iv.form();
  for (const std::string& g : iv.GroupsOpened()) {
    auto it = form.groups.find(g);
    std::string label = it != form.groups.end() ? it->second.label.Get(ctx.lang) : g;
    if (!label.empty()) std::cout << "\n== " << label << " ==\n";
  }
  if (f.type == FieldType::kNote) {
    std::cout << "\n" << f.label.Get(ctx.lang) << "\n";
    return;
  }
  const bool required = f.required || f.required_if;
  std::cout << "\n(" << number << ") " << f.label.Get(ctx.lang) << (required ? " *" : "") << "\n";
  if (!f.hint.empty()) std::cout << "    " << f.hint.Get(ctx.lang) << "\n";
  if (f.type == FieldType::kSelectOne || f.type == FieldType::kSelectMultiple) {
    std::vector<const Choice*> offered = AvailableChoices(form, f, iv.answers(), iv.env());
    for (size_t i = 0; i < offered.size(); ++i) {
      std::cout << "    " << (i + 1) << ". " << offered[i]->label.Get(ctx.lang) << "\n";
    }
    if (f.type == FieldType::kSelectMultiple) {
      std::cout << "    " << Tr(ctx, "(chọn nhiều: ghi các số cách nhau bởi dấu cách)",
                                "(several: numbers separated by spaces)") << "\n";
    }
  }
  std::string suggested = iv.Suggested();
  if (!suggested.empty()) {
    std::cout << "    [" << EscapeForTerminal(AnswerText(form, f, suggested, ctx.lang)) << "] "
              << Tr(ctx, "(Enter để giữ, '-' để xóa)", "(Enter keeps it, '-' clears it)") << "\n";
  }
}

std::string ChoiceInput(const Form& form, const Field& f, const Interview& iv, const std::string& typed) {
  std::vector<const Choice*> offered = AvailableChoices(form, f, iv.answers(), iv.env());
  std::string out;
  std::string normalized = typed;
  for (char& c : normalized) {
    if (c == ',') c = ' ';
  }
  std::istringstream words(normalized);
  std::string w;
  while (words >> w) {
    bool number = !w.empty() && w.find_first_not_of("0123456789") == std::string::npos && w.size() < 4;
    size_t n = number ? std::stoul(w) : 0;
    std::string name = number && n >= 1 && n <= offered.size() ? offered[n - 1]->name : w;
    out += (out.empty() ? "" : " ") + name;
  }
  return out;
}

void PrintFieldIssues(const Context& ctx, const Form& form, const std::vector<FieldIssue>& issues) {
  for (const FieldIssue& i : issues) {
    const Field* f = form.FindField(i.field);
    std::cerr << "  " << Tr(ctx, "trường ", "field ") << "'" << i.field << "'";
    if (f != nullptr) std::cerr << " (" << f->label.Get(ctx.lang) << ")";
    std::cerr << ": " << i.message << "\n";
  }
}

}  // namespace sotay::shell
