// One question of an interview as the shell asks it (interview_steps.h).
#include "interview_steps.h"

#include <iostream>
#include <sstream>

#include "sotay/links.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay::shell {

void ShowField(const Context& ctx, const Interview& iv, const Field& f, int number, const std::string& from_link) {
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
  if (!f.link.empty()) {
    std::cout << "    " << Tr(ctx, "(gõ tên hoặc số định danh để tìm; '+' để lập hồ sơ mới; Enter để bỏ trống)",
                                "(type a name or personal number to search; '+' creates the profile; Enter leaves it empty)")
              << "\n";
  }
  std::string suggested = iv.Suggested();
  if (suggested.empty()) suggested = from_link;
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

Result<std::vector<std::string>> ShowLinkMatches(const Context& ctx, Notebook& nb, const Field& f,
                                                 const std::string& query) {
  ListFilter filter;
  filter.form = f.link;
  filter.query = query;
  auto found = nb.List(filter, ctx.lang);  // the one search of the notebook (name and text answers)
  if (!found.ok()) return found.status();
  std::vector<std::string> ids;
  for (const RecordSummary& sum : *found) {
    if (!sum.status.ok()) continue;
    if (ids.size() == 20) {
      std::cout << "    " << Tr(ctx, "(còn nữa: gõ thêm chữ để thu hẹp)", "(more: type more to narrow it)") << "\n";
      break;
    }
    auto view = nb.Get(sum.id);
    if (!view.ok()) return view.status();
    auto form = nb.FindForm(view->form, view->version);
    auto shown = [&](const char* field) {
      auto it = view->shown.find(field);
      const Field* fd = form.ok() ? (*form)->FindField(field) : nullptr;
      if (it == view->shown.end() || fd == nullptr) return std::string("—");
      return EscapeForTerminal(AnswerText(**form, *fd, it->second, ctx.lang));
    };
    ids.push_back(sum.id);
    const std::string name = shown("full_name");
    std::cout << "    " << ids.size() << ". " << (name == "—" ? EscapeForTerminal(sum.name) : name) << " · "
              << shown("dob") << " · " << shown("village") << "\n";
  }
  return ids;
}

Result<std::string> ResolveLinkAnswer(Notebook& nb, const Field& f, const std::string& typed) {
  auto records = nb.List(ListFilter{f.link, "", false}, "vi");
  if (!records.ok()) return records.status();
  std::vector<std::string> ids;
  for (const RecordSummary& sum : *records) ids.push_back(sum.id);
  auto one = ResolveLink(typed, ids, f.name);
  // Said without the field's name: the shell prints it beside (PrintFieldIssues).
  if (one.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("no record of form '" + f.link + "' has the id '" + typed + "' in this notebook");
  }
  if (!one.ok()) {
    return Status::InvalidArgument("the id '" + typed + "' begins several records of form '" + f.link +
                                   "': give all 36 characters");
  }
  return one;
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
